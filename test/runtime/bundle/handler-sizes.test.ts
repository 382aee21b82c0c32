import * as fs from 'fs';
import * as path from 'path';

const HANDLERS = path.join(__dirname, '..', '..', '..', 'assets', 'handlers');

/** The cold-start target of docs/control-plane.md, as far as a test holds it: size (load time is bench/handlers/cold-start.ts's). */
const TARGET_KB = 300;

const handlers = fs.existsSync(HANDLERS) ? fs.readdirSync(HANDLERS).sort() : [];

test('the handlers are bundled (npx projen bundle:runtime)', () => {
  expect(handlers.length).toBeGreaterThan(0);
});

test.each(handlers)('%s is at most 300 KB', (name) => {
  const kb = fs.statSync(path.join(HANDLERS, name, 'index.js')).size / 1024;
  expect(kb).toBeLessThanOrEqual(TARGET_KB);
});
