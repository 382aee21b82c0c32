import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import type { Linter } from 'eslint';
import { LegacyESLint } from 'eslint/use-at-your-own-risk';
import { RUNTIME_ROOMS } from '../../projenrc/runtime-layers';

/**
 * The runtime's layers (runtime/README.md) hold because eslint says so: each rule below fails a file that breaks
 * it, and the real tree breaks none. The rules are read from the project's own eslint configuration (generated
 * by projen from projenrc/runtime-layers.ts), as it applies to each file; only the type-aware rules, which these
 * need not, are left out so that the whole runtime lints in seconds.
 */
const ROOT = path.resolve(__dirname, '../..');
const LAYER_RULES = ['import/no-restricted-paths', 'no-restricted-imports'];

const project = new LegacyESLint({ cwd: ROOT });

/** The layer rules as the project's configuration applies them to `file`: none of them may be off. */
async function layerConfigFor(file: string): Promise<Linter.LegacyConfig> {
  const config = await project.calculateConfigForFile(path.join(ROOT, file)) as Linter.LegacyConfig;
  const rules = Object.fromEntries(LAYER_RULES.filter((rule) => config.rules?.[rule] !== undefined).map((rule) => [rule, config.rules![rule]!]));
  return {
    root: true,
    parser: config.parser,
    parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
    plugins: ['import'],
    settings: config.settings,
    rules,
  };
}

async function layerLinter(file: string): Promise<LegacyESLint> {
  return new LegacyESLint({ cwd: ROOT, useEslintrc: false, overrideConfig: await layerConfigFor(file), ignore: false });
}

/** The layer-rule messages eslint gives `source` as if it were `file` (which need not exist). */
async function layerErrors(file: string, source: string): Promise<Linter.LintMessage[]> {
  const [result] = await (await layerLinter(file)).lintText(source, { filePath: path.join(ROOT, file) });
  return result.messages.filter((message) => message.fatal || LAYER_RULES.includes(message.ruleId ?? ''));
}

describe('runtime layers, enforced by eslint', () => {
  test('every folder of runtime/ is a room with rules', () => {
    const folders = readdirSync(path.join(ROOT, 'runtime'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.sort()).toEqual(Object.keys(RUNTIME_ROOMS).sort());
  });

  test.each([
    // [the file, the import it must not make, the rule that refuses it]
    ['runtime/contracts/probe.ts', "import { parseDispatchRequest } from '../core/dispatch/request';", 'import/no-restricted-paths'],
    ['runtime/contracts/probe.ts', "import type { AttributeValue } from '@aws-sdk/client-dynamodb';", 'no-restricted-imports'],
    ['runtime/core/probe.ts', "import { DispatchRepository } from '../adapters/dispatch-repository';", 'import/no-restricted-paths'],
    ['runtime/core/dispatch/probe.ts', "import { classifyOutcome } from '../../worker/result';", 'import/no-restricted-paths'],
    ['runtime/core/probe.ts', "import type { AttributeValue } from '@aws-sdk/client-dynamodb';", 'no-restricted-imports'],
    ['runtime/core/probe.ts', "import { unmarshall } from '@aws-sdk/util-dynamodb';", 'no-restricted-imports'],
    ['runtime/core/probe.ts', "export type { AttributeValue } from '@aws-sdk/client-dynamodb';", 'no-restricted-imports'],
    ['runtime/core/probe.ts', "import { Logger } from '@aws-lambda-powertools/logger';", 'no-restricted-imports'],
    ['runtime/adapters/probe.ts', "import { failed } from '../services/start-dispatch';", 'import/no-restricted-paths'],
    ['runtime/services/probe.ts', "import { lifecycle } from '../lambda/lifecycle';", 'import/no-restricted-paths'],
    ['runtime/lambda/probe.ts', "import { handler } from '../handlers/dispatch-read';", 'import/no-restricted-paths'],
    ['runtime/handlers/probe/index.ts', "import { classifyOutcome } from '../../worker/result';", 'import/no-restricted-paths'],
    ['runtime/worker/probe.ts', "import { failed } from '../services/start-dispatch';", 'import/no-restricted-paths'],
    ['runtime/client/probe.ts', "import { DispatchRepository } from '../adapters/dispatch-repository';", 'import/no-restricted-paths'],
    ['runtime/cli/probe.ts', "import { DispatchRepository } from '../adapters/dispatch-repository';", 'import/no-restricted-paths'],
    ['runtime/core/probe.ts', "import { Agent } from '../../src/agents/agent';", 'import/no-restricted-paths'],
    ['runtime/local/kit/probe.ts', "import { failed } from '../../services/start-dispatch';", 'import/no-restricted-paths'],
    ['runtime/local/kit/probe.ts', "import { lifecycle } from '../../lambda/lifecycle';", 'import/no-restricted-paths'],
    ['runtime/local/kit/probe.ts', "import { synthPlatform } from '../../../test/support/platform-stack';", 'import/no-restricted-paths'],
    ['runtime/worker/probe.ts', "import { Sandbox } from '../local/kit/sandbox/sandbox';", 'import/no-restricted-paths'],
  ])('%s may not %s', async (file, source, rule) => {
    const errors = await layerErrors(file, `${source}\n`);
    expect(errors.map(({ ruleId, severity }) => ({ ruleId, severity }))).toEqual([{ ruleId: rule, severity: 2 }]);
    expect(errors[0].message).toMatch(rule === 'no-restricted-imports' ? /are pure: no AWS SDK/ : /runtime\/README\.md|runtime\/contracts|runtime\/local\/kit/);
  });

  test.each([
    ['runtime/handlers/probe/index.ts', "import { lifecycle } from '../../lambda/lifecycle';"],
    ['runtime/services/probe.ts', "import { DispatchRepository } from '../adapters/dispatch-repository';"],
    ['runtime/adapters/probe.ts', "import type { AttributeValue } from '@aws-sdk/client-dynamodb';"],
    ['runtime/core/probe.ts', "import { AGENT_NAMES } from '../contracts/agent-names';"],
    ['runtime/worker/probe.ts', "import { Kms } from '../adapters/kms';"],
    ['runtime/cli/probe.ts', "import { OutpostClient } from '../client';"],
    ['runtime/services/probe.ts', "import { resolveModelAlias } from '../../src/agents/model-aliases';"],
    ['runtime/local/kit/probe.ts', "import { agentAdapter } from '../../worker/agents';"],
    ['runtime/local/kit/probe.ts', "import { Kms } from '../../adapters/kms';"],
    ['runtime/cli/probe.ts', "import { Sandbox } from '../local/kit/sandbox/sandbox';"],
  ])('%s may %s', async (file, source) => {
    expect(await layerErrors(file, `${source}\n`)).toEqual([]);
  });

  test('the runtime as it is breaks no layer rule', async () => {
    const results = await Promise.all(Object.keys(RUNTIME_ROOMS).map(async (room) =>
      (await layerLinter(`runtime/${room}/probe.ts`)).lintFiles([`runtime/${room}/**/*.ts`])));
    const violations = results.flat().flatMap((result) => result.messages
      .filter((message) => message.fatal || LAYER_RULES.includes(message.ruleId ?? ''))
      .map((message) => `${path.relative(ROOT, result.filePath)}:${message.line} ${message.message}`));
    expect(violations).toEqual([]);
    expect(results.flat().length).toBeGreaterThan(300);
  });

  test('core and contracts name no AWS SDK package, not even in a type import() eslint does not see', () => {
    const files = ['contracts', 'core'].flatMap((room) => readdirSync(path.join(ROOT, 'runtime', room), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts')).map((name) => path.join('runtime', room, name)));
    const naming = files.filter((file) => /@aws-sdk\//.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(naming).toEqual([]);
  });
});
