import type { Command } from 'commander';
import type { MigrateFlags } from '../actions/migrate.js';
import { runCommand } from '../run-command.js';

/** `ssot migrate [paths...]`: moves legacy imports to the concept's target (see docs/codemods.md). */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .summary('rewrite legacy imports, or compat uses (stage 2)')
    .description(
      'stage 1: rewrite legacy imports to the migration target (the ' +
        'compat layer if there is one, else the canonical module); ' +
        'stage 2 (--to canonical): rewrite every use of the compat layer to the canonical API',
    )
    .argument('[paths...]', 'files or folders to migrate (default: every file in scope)')
    .option('--config <path>', 'ssot config file (default: found from the first path or the current folder upwards)')
    .option('--concept <id>', 'only this concept (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option(
      '--to <stage>',
      'compat: legacy imports move to the compat layer (stage 1); ' +
        'canonical: compat uses become the canonical API (stage 2)',
      'compat',
    )
    .option('--dry-run', 'print a unified diff per file and change nothing')
    .option('--json', 'print a JSON status per file and a summary on stdout')
    .option('--allow-dirty', 'run on a git tree with uncommitted changes')
    .option(
      '--rename',
      'rename local references (scope-aware) instead of aliasing when a name maps to a different name',
    )
    .option(
      '--merge-imports',
      'merge moved names into an existing import of the target in the same scope (default: each import keeps its statement)',
    )
    .option('--typecheck', 'type-check the touched files before and after, report new diagnostics')
    .option('--rollback-on-type-errors', 'with --typecheck: restore the files that gained type errors')
    .option(
      '--jobs <n>',
      'threads, the main thread included (default: up to the number of cores, helpers only for large candidate sets)',
    )
    .option('--limit <n>', 'change at most n files (in path order), for reviewable steps')
    .option('--shard <i/n>', 'only shard i of n (see --shard-by)')
    .option('--shard-by <dir|hash>', 'shard by top-level directory or by a hash of the file path', 'dir')
    .action((paths: string[], flags: MigrateFlags) =>
      runCommand(async () => (await import('../actions/migrate.js')).migrateAction(paths, flags)),
    );
}
