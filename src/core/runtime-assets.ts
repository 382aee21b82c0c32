import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The package root: this file is `src/core/` in the repository and `lib/core/` in the published package, and
 * `assets/` sits beside both.
 */
export const PACKAGE_ROOT = path.join(__dirname, '..', '..');

/** A Lambda handler bundled by the build into `assets/handlers/<name>/index.js`. */
export function bundledHandler(name: string): lambda.Code {
  return lambda.Code.fromAsset(path.join(PACKAGE_ROOT, 'assets', 'handlers', name));
}

/** This library's version, passed to handlers so that they can report it. */
export const PACKAGE_VERSION: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
