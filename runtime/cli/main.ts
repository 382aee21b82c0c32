import { runCli } from './program';

/** The `outpost` bin (bundled into cli/outpost.js). */
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
