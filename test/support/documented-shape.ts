import * as fs from 'fs';
import { join } from 'path';

/** A documented example kept in test/support/fixtures/ (each names its source), a fresh copy each call. */
export function documentedFixture<T>(file: string): T {
  return JSON.parse(fs.readFileSync(join(__dirname, 'fixtures', file), 'utf8'));
}

/** A JSON value's kind, as a shape comparison sees it. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' | 'absent';

export function kindOf(value: unknown): JsonKind {
  if (value === undefined) {
    return 'absent';
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  const kind = typeof value;
  if (kind === 'string' || kind === 'number' || kind === 'boolean' || kind === 'object') {
    return kind;
  }
  throw new Error(`${kind} is not a JSON value`);
}

export interface ShapeRules {
  /** Paths (`requestContext.authentication`) the system leaves out in some cases: absent is accepted there. */
  readonly optional?: readonly string[];
  /** Paths the documentation says may be null besides what its example shows. */
  readonly nullable?: readonly string[];
  /**
   * Paths whose keys are the caller's own, not the system's (headers, claims, path parameters): their values'
   * kind is compared with the documented values', their names are not.
   */
  readonly openMaps?: readonly string[];
}

/**
 * How `actual` departs from the documented example's shape: every key the example has, with a value of the same
 * JSON kind, recursively (an array's items against the example's first item), and no key the example lacks.
 * Each difference names its path, so a failing test says which field drifted. Empty when the shapes match.
 */
export function shapeDifferences(actual: unknown, documented: unknown, rules: ShapeRules = {}, at = ''): string[] {
  const expected = kindOf(documented);
  const got = kindOf(actual);
  const name = at === '' ? '(the document)' : at;
  if (got === 'absent' && rules.optional?.includes(at)) {
    return [];
  }
  if (got === 'null' && rules.nullable?.includes(at)) {
    return [];
  }
  if (got !== expected) {
    return [`${name}: documented as ${expected}, got ${got}`];
  }
  if (expected === 'array') {
    const [example] = documented as unknown[];
    return example === undefined ? [] : (actual as unknown[]).flatMap((item) => shapeDifferences(item, example, rules, `${at}[]`));
  }
  if (expected !== 'object') {
    return [];
  }
  const documentedObject = documented as Record<string, unknown>;
  const actualObject = actual as Record<string, unknown>;
  if (rules.openMaps?.includes(at)) {
    const example = Object.values(documentedObject)[0];
    return Object.entries(actualObject).flatMap(([key, value]) => shapeDifferences(value, example, rules, `${at}.${key}`));
  }
  const path = (key: string) => (at === '' ? key : `${at}.${key}`);
  const undocumented = Object.keys(actualObject).filter((key) => !(key in documentedObject) && actualObject[key] !== undefined)
    .map((key) => `${path(key)}: not in the documented example`);
  const differences = Object.keys(documentedObject).flatMap((key) => shapeDifferences(actualObject[key], documentedObject[key], rules, path(key)));
  return [...differences, ...undocumented];
}
