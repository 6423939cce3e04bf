import type { ResolvedConfig } from '../core/config/types.js';
import { describeRefusedPaths, listFiles, scopeStarts, type FileListing, type ScopeStarts } from '../core/files.js';
import { UsageError } from '../shared/errors.js';
import { displayPath } from '../shared/paths.js';

/**
 * The files a run looks at, and the input errors that stop it (exit 2). A module of its own, light
 * enough for a thread that only lists and reads (migrate's read thread, src/migrate/scan.ts).
 */

/** A problem with the inputs (a bad git ref, a bad shard, a path out of scope): the CLI exits 2 with the message. */
export class CollectError extends UsageError {}

/** The error for named paths that are missing or refused (scopeStarts), if any. */
function startsError(
  config: ResolvedConfig,
  checked: Pick<ScopeStarts, 'missing' | 'refused'>,
): CollectError | undefined {
  if (checked.refused.length > 0) return new CollectError(describeRefusedPaths(checked));
  if (checked.missing.length > 0) {
    return new CollectError(
      `no such file or folder: ${checked.missing.map((p) => displayPath(config.rootDir, p)).join(', ')}`,
    );
  }
  return undefined;
}

/** The error for a scope that holds no file. */
export function emptyScopeError(config: ResolvedConfig, paths: readonly string[]): CollectError {
  const globs = `include ${JSON.stringify(config.include)}, exclude ${JSON.stringify(config.exclude)}`;
  const where = config.configPath ? ` (${displayPath(config.rootDir, config.configPath)})` : '';
  return new CollectError(
    paths.length > 0
      ? `no file in scope under ${paths.map((p) => displayPath(config.rootDir, p)).join(', ')}: the config's ${globs}${where} matches none there`
      : `the config's ${globs}${where} matches no file under ${config.rootDir}: nothing to report on`,
  );
}

/**
 * The paths to walk (scopeStarts), or the error that stops the run before any file is read: a
 * named path that does not exist or is not project source.
 */
export function checkedStarts(config: ResolvedConfig, paths: readonly string[] = []): string[] {
  const checked = scopeStarts(config, paths);
  const error = startsError(config, checked);
  if (error) throw error;
  return checked.starts;
}

/**
 * The files in scope, or an error that says why there are none: a verdict over no files would
 * claim compliance and "safe to delete" about code nobody read. A named path that does not
 * exist is an error too, never a note beside a verdict.
 */
export function listScope(config: ResolvedConfig, paths: readonly string[] = []): FileListing {
  const listing = listFiles(config, paths);
  const error = startsError(config, listing);
  if (error) throw error;
  if (listing.files.length === 0) throw emptyScopeError(config, paths);
  return listing;
}
