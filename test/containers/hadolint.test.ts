import * as path from 'path';
import { expectClean, filesBelow, lintScratch, runTool } from './linters';
import { pythonTool } from '../support/python-tools';

const CONTAINERS = path.join(__dirname, '..', '..', 'containers');
const CONFIG = path.join(CONTAINERS, '.hadolint.yaml');

describe('hadolint', () => {
  const dockerfiles = filesBelow(CONTAINERS, (name) => name === 'Dockerfile');

  test.each(dockerfiles)('%s has no findings', (dockerfile) => {
    expectClean(runTool(pythonTool('hadolint'), ['--config', CONFIG, '--no-color', dockerfile], CONTAINERS));
  });

  test('the check itself fails a Dockerfile with findings, under the same settings', () => {
    const bad = 'FROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl\n';
    const result = lintScratch(pythonTool('hadolint'), ['--config', CONFIG, '--no-color'], 'Dockerfile', bad);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('DL3007');
    expect(result.stdout).toContain('DL3008');
  });
});
