import type { ResolvedConfig } from '../core/config/types.js';
import { describeRefusedPaths, listFiles, type FileListing } from '../core/files.js';
import { UsageError } from '../shared/errors.js';
import { displayPath } from '../shared/paths.js';

/**
 * The files a run looks at, and the input errors that stop it (exit 2). A module of its own, light
 * enough for a thread that only lists and reads (migrate's read thread, src/migrate/scan.ts).
 */

/** A problem with the inputs (a bad git ref, a bad shard, a path out of scope): the CLI exits 2 with the message. */
export class CollectError extends UsageError {}

/**
 * The files in scope, or an error that says why there are none: a verdict over no files would
 * claim compliance and "safe to delete" about code nobody read. A named path that does not
 * exist is an error too, never a note beside a verdict.
 */
export function listScope(config: ResolvedConfig, paths: readonly string[] = []): FileListing {
  const listing = listFiles(config, paths);
  if (listing.refused.length > 0) throw new CollectError(describeRefusedPaths(listing));
  if (listing.missing.length > 0) {
    throw new CollectError(
      `no such file or folder: ${listing.missing.map((p) => displayPath(config.rootDir, p)).join(', ')}`,
    );
  }
  if (listing.files.length === 0) {
    const globs = `include ${JSON.stringify(config.include)}, exclude ${JSON.stringify(config.exclude)}`;
    const where = config.configPath ? ` (${displayPath(config.rootDir, config.configPath)})` : '';
    throw new CollectError(
      paths.length > 0
        ? `no file in scope under ${paths.map((p) => displayPath(config.rootDir, p)).join(', ')}: the config's ${globs}${where} matches none there`
        : `the config's ${globs}${where} matches no file under ${config.rootDir}: nothing to report on`,
    );
  }
  return listing;
}
