import * as fs from 'fs';
import * as path from 'path';

/**
 * The project's virtual environment, made by the README's test command (`python3 -m venv .venv`), with the
 * Python test tools at the exact versions of requirements-dev.txt. Tests run the tools from here, never from
 * PATH: a machine's preinstalled moto or cfn-lint of another version must not be the one that runs.
 */
export const PROJECT_VENV = path.resolve(__dirname, '..', '..', '.venv');

/** How to make the environment, for the errors below. */
export const INSTALL_PYTHON_TOOLS = 'python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt';

/** The Python test tools the suites run (requirements-dev.txt). */
export type PythonTool = 'python3' | 'cfn-lint' | 'shellcheck' | 'hadolint';

/** `tool` from the project's environment; missing, the test fails saying how to install it (never skipped). */
export function pythonTool(tool: PythonTool): string {
  const file = path.join(PROJECT_VENV, 'bin', tool);
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new Error(`${file} is missing: the Python test tools are installed with \`${INSTALL_PYTHON_TOOLS}\` (the README's test command does it)`);
  }
  return file;
}
