import * as fs from 'fs';
import * as path from 'path';

/** The npm package's name, which tells its package.json from any other on the way up. */
const PACKAGE_NAME = 'outpost-cdk';

/**
 * The root of the outpost-cdk package, where `assets/` and `containers/` are. This code runs from its source
 * (`runtime/local/kit/`, under ts-node or jest) and bundled into the command line (`cli/outpost.js`), so
 * `__dirname` is three folders deep in one and one in the other: the root is the nearest folder above it whose
 * package.json is this package's.
 */
export function packageRoot(from: string = __dirname): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    if (isPackageRoot(directory)) {
      return directory;
    }
    if (path.dirname(directory) === directory) {
      throw new Error(`no ${PACKAGE_NAME} package.json above ${from}: the Outpost Local kit runs only from the outpost-cdk package`);
    }
  }
}

/** The Dockerfiles of the agent images (containers/<agent>/Dockerfile, containers/base/Dockerfile), shipped in the package. */
export function containersDirectory(): string {
  return path.join(packageRoot(), 'containers');
}

function isPackageRoot(directory: string): boolean {
  const manifest = path.join(directory, 'package.json');
  if (!fs.existsSync(manifest)) {
    return false;
  }
  try {
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
