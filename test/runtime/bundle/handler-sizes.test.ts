import * as fs from 'fs';
import * as path from 'path';

const HANDLERS = path.join(__dirname, '..', '..', '..', 'assets', 'handlers');

/** The cold-start target of docs/control-plane.md, as far as a test holds it: size (load time is bench/handlers/cold-start.ts's). */
const TARGET_KB = 300;

/**
 * The handlers that use S3 miss the target by the S3 client's weight, about 120 KB, dispatch-create also by the
 * EFS client it prepares persistent workspaces with, both pushing handlers by the Secrets Manager client for git
 * credentials, and workspaces by ECS and EFS together
 * (bench/handlers/RESULTS.md). Each is held to what it weighs now, with some room, so that it grows no further
 * unnoticed.
 */
const OVER_TARGET_KB: Readonly<Record<string, number>> = {
  'dispatch-create': 460,
  'dispatch-read': 375,
  'task-ready': 410,
  'task-stopped': 390,
  'workspaces': 330,
};

const handlers = fs.existsSync(HANDLERS) ? fs.readdirSync(HANDLERS).sort() : [];

test('the handlers are bundled (npx projen bundle:runtime)', () => {
  expect(handlers.length).toBeGreaterThan(0);
});

test.each(handlers)('%s stays within its size budget', (name) => {
  const kb = fs.statSync(path.join(HANDLERS, name, 'index.js')).size / 1024;
  expect(kb).toBeLessThanOrEqual(OVER_TARGET_KB[name] ?? TARGET_KB);
});
