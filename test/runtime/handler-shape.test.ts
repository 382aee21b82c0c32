import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * One handler shape (docs/architecture.md, "Handlers"): each runtime/handlers/<name>/index.ts parses its event,
 * takes its dependencies from runtime/lambda/, calls one service and shapes the answer. What this checks of it:
 * the handler is one file that exports `handler` alone; it imports from runtime/lambda/, runtime/core/ and ONE
 * module of runtime/services/, and from packages only `aws-lambda` (types) and `ulid`; never an adapter, an AWS
 * SDK package or a logger other than the project's (runtime/lambda/json-log.ts).
 */
const RUNTIME = path.join(__dirname, '..', '..', 'runtime');
const HANDLERS = path.join(RUNTIME, 'handlers');

const LAYERS = ['lambda', 'core', 'services'];
/** Packages a handler may import, and whether only their types. */
const PACKAGES: Record<string, 'types' | 'values'> = { 'aws-lambda': 'types', 'ulid': 'values' };

/** What breaks the shape in one handler's source, in words; empty when it has the shape. */
function shapeProblems(source: string): string[] {
  const file = ts.createSourceFile('index.ts', source, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const services = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      const typesOnly = statement.importClause?.isTypeOnly ?? false;
      const layer = /^\.\.\/\.\.\/([^/]+)\/(.+)$/.exec(from);
      if (layer) {
        if (!LAYERS.includes(layer[1])) {
          problems.push(`imports ${from}: a handler imports from runtime/lambda/, runtime/core/ and one runtime/services/ module only`);
        } else if (layer[1] === 'services') {
          services.add(layer[2]);
        }
      } else if (from.startsWith('.')) {
        problems.push(`imports ${from}: a handler is one file, index.ts`);
      } else if (PACKAGES[from] === undefined || (PACKAGES[from] === 'types' && !typesOnly)) {
        problems.push(`imports ${from}: a handler takes its clients from runtime/lambda/ and logs with its JsonLogger`);
      }
    } else if (isExported(statement) && !isHandlerExport(statement)) {
      problems.push('exports something besides `handler`');
    }
  }
  if (services.size !== 1) {
    problems.push(`calls ${services.size} service modules (${[...services].join(', ') || 'none'}): a handler calls one`);
  }
  if (!file.statements.some(isHandlerExport)) {
    problems.push('exports no `handler` function');
  }
  return problems;
}

function isExported(statement: ts.Statement): boolean {
  return ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)
    || (ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword));
}

function isHandlerExport(statement: ts.Statement): boolean {
  return ts.isFunctionDeclaration(statement) && statement.name?.text === 'handler' && isExported(statement);
}

const handlers = fs.readdirSync(HANDLERS).sort();

test('every handler directory is listed: there are handlers', () => {
  expect(handlers.length).toBeGreaterThanOrEqual(18);
});

test.each(handlers)('%s is one index.ts with the handler shape', (name) => {
  expect(fs.readdirSync(path.join(HANDLERS, name))).toEqual(['index.ts']);
  expect(shapeProblems(fs.readFileSync(path.join(HANDLERS, name, 'index.ts'), 'utf8'))).toEqual([]);
});

test('the rule catches what breaks the shape', () => {
  const inline = `
    import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
    import { Logger } from '@aws-lambda-powertools/logger';
    import type { Context } from 'aws-lambda';
    import { DispatchRepository } from '../../adapters/dispatch-repository';
    import { failDispatch } from '../../services/fail-dispatch';
    import { sweep } from '../../services/sweep';
    import { helper } from './helper';
    export const logger = new Logger();
    export async function handler(): Promise<void> {}
  `;
  expect(shapeProblems(inline)).toEqual([
    expect.stringContaining('imports @aws-sdk/client-dynamodb'),
    expect.stringContaining('imports @aws-lambda-powertools/logger'),
    expect.stringContaining('imports ../../adapters/dispatch-repository'),
    expect.stringContaining('imports ./helper'),
    'exports something besides `handler`',
    'calls 2 service modules (fail-dispatch, sweep): a handler calls one',
  ]);
  expect(shapeProblems('import { ulid } from \'aws-lambda\'; export const x = 1;')).toEqual([
    expect.stringContaining('imports aws-lambda'),
    'exports something besides `handler`',
    'calls 0 service modules (none): a handler calls one',
    'exports no `handler` function',
  ]);
});

test('one logger: nothing in the runtime imports Powertools\' Logger', () => {
  const offenders = listTs(RUNTIME).filter((file) => fs.readFileSync(file, 'utf8').includes('@aws-lambda-powertools/logger'));
  expect(offenders.map((file) => path.relative(RUNTIME, file))).toEqual([]);
});

function listTs(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? listTs(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}
