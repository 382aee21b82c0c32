import { promises as fs } from 'fs';
import type { Plugin } from 'esbuild';

/** The AWS SDK clients' generated schema modules. */
const SCHEMA_MODULE = /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
/** `const _e = "error";`: the module's string constants, one a line. */
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm;
/** A computed key naming a constant, first in a trait object or after a comma: `{ [_e]: _c, [_hE]: 400 }`. */
const COMPUTED_KEY = /([{,]\s*)\[(_\w+)\]:/g;

/**
 * The SDK writes every schema's traits with computed keys, `{ [_e]: _c }` where `_e` is the constant
 * `"error"`. esbuild must assume that a computed key runs code (a `toString`), so it keeps every schema of
 * the service that has traits, and every name they hold: S3's weigh 60 KB, of which a handler uses a few
 * operations (aws/aws-sdk-js-v3#7607). Writing the constants' literals in their place, as the generator
 * upstream is to do (smithy-lang/smithy-typescript#1889), builds the same objects and lets esbuild drop
 * the schemas nothing refers to.
 */
export function literalTraitKeys(source: string): string {
  const constants = new Map(Array.from(source.matchAll(STRING_CONSTANT), ([, name, literal]) => [name, literal]));
  return source.replace(COMPUTED_KEY, (key, before: string, name: string) => {
    const literal = constants.get(name);
    return literal === undefined ? key : `${before}${literal}:`;
  });
}

/** Applies literalTraitKeys to the SDK's schema modules as esbuild loads them. */
export const literalTraitKeysPlugin: Plugin = {
  name: 'literal-trait-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async (args) => ({
      contents: literalTraitKeys(await fs.readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
