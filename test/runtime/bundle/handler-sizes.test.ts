import * as fs from 'fs';
import * as path from 'path';

const HANDLERS = path.join(__dirname, '..', '..', '..', 'assets', 'handlers');

/** The cold-start target of docs/control-plane.md, as far as a test holds it: size (load time is bench/handlers/cold-start.ts's). */
const TARGET_KB = 300;

/**
 * The starter misses the target by the ECS and EFS clients beside DynamoDB: it starts tasks, and makes a
 * persistent workspace's access point and task definition on its first use (bench/handlers/RESULTS.md). It is
 * held to what it weighs now, with some room, so that it grows no further unnoticed.
 */
const OVER_TARGET_KB: Readonly<Record<string, number>> = {
  'dispatch-starter': 322,
};

const handlers = fs.existsSync(HANDLERS) ? fs.readdirSync(HANDLERS).sort() : [];

test('the handlers are bundled (npx projen bundle:runtime)', () => {
  expect(handlers.length).toBeGreaterThan(0);
});

test.each(handlers)('%s stays within its size budget', (name) => {
  const kb = fs.statSync(path.join(HANDLERS, name, 'index.js')).size / 1024;
  expect(kb).toBeLessThanOrEqual(OVER_TARGET_KB[name] ?? TARGET_KB);
});
