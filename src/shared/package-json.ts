import * as fs from 'node:fs';
import * as path from 'node:path';

/** The fields of a package.json that module spellings and workspace discovery read. */
export interface PackageJson {
  name?: unknown;
  main?: unknown;
  types?: unknown;
  typings?: unknown;
  typesVersions?: unknown;
  exports?: unknown;
  imports?: unknown;
  workspaces?: unknown;
}

/**
 * A folder's package.json: undefined when there is none; `{}` when one exists but does not parse
 * to an object (TypeScript would not use it, but the folder is still a package's to the callers,
 * which then stay on the safe side).
 */
export function readPackageJson(dir: string): PackageJson | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as unknown;
    return json && typeof json === 'object' ? (json as PackageJson) : {};
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : {};
  }
}

/** How callers that may share reads take package.json files (ModuleResolver.packageJson remembers them). */
export type PackageJsonReader = (dir: string) => PackageJson | undefined;
