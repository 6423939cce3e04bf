import * as path from 'node:path';
import { loadConfigFor } from '../../core/config/load.js';
import type { MigrateResult, MigrateSummary } from '../../migrate/run.js';
import { parseShard } from '../../shared/shard.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { parseChoice, parseInteger } from '../options.js';
import { UsageError } from '../../shared/errors.js';
import { colors, createProgress, useColor } from '../../shared/terminal.js';

export interface MigrateFlags {
  config?: string;
  to?: string;
  concept?: string[];
  dryRun?: boolean;
  json?: boolean;
  allowDirty?: boolean;
  rename?: boolean;
  mergeImports?: boolean;
  typecheck?: boolean;
  rollbackOnTypeErrors?: boolean;
  jobs?: string;
  limit?: string;
  shard?: string;
  shardBy?: string;
}

function printText(result: MigrateResult, dryRun: boolean): void {
  const c = colors(useColor(process.stdout));
  const out: string[] = [];
  for (const f of result.files) {
    if (dryRun && f.diff) out.push(f.diff.trimEnd());
    if (f.status === 'changed' && !dryRun)
      out.push(`${c.green('changed')}   ${f.file} (${f.sitesRewritten} site${f.sitesRewritten === 1 ? '' : 's'})`);
    if (f.status === 'failed') out.push(`${c.red('failed')}    ${f.file}: ${f.error ?? ''}`);
    if (f.status === 'skipped' && f.reason)
      out.push(
        `${(f.unreadable ? c.red : c.yellow)('skipped')}   ${f.file}: ${f.reason}${f.unreadable ? ' (not migrated: the run fails; exclude it in the config if it is not source)' : ''}`,
      );
    for (const r of f.refused)
      out.push(`${c.yellow('refused')}   ${f.file}:${r.line}:${r.column} ${r.form} '${r.specifier}': ${r.reason}`);
    for (const d of f.newDiagnostics ?? [])
      out.push(`${c.red('type')}      ${f.file}:${d.line}:${d.column} TS${d.code}: ${d.message.split('\n')[0]}`);
    for (const n of f.notes ?? []) out.push(`${c.dim('note')}      ${f.file}: ${n}`);
  }
  const s = result.summary;
  const verb = dryRun ? 'would change' : 'changed';
  const conflicts = s.filesChangedDuringRun > 0 ? ` (${s.filesChangedDuringRun} changed during migration)` : '';
  out.push(
    c.bold(
      `ssot migrate: ${s.filesScanned} files scanned, ${s.filesParsed} parsed, ${s.filesChanged} ${verb}, ${s.sitesRewritten} sites rewritten, ` +
        `${s.sitesRefused} refused, ${s.filesFailed} failed${s.filesUnreadable > 0 ? `, ${s.filesUnreadable} not readable` : ''}${conflicts}` +
        `${s.newTypeErrors !== undefined ? `, ${s.newTypeErrors} new type errors (${typecheckCounts(s)})` : ''}` +
        ` in ${(s.timeMs / 1000).toFixed(2)} s` +
        `${dryRun ? ' (dry run: nothing written)' : ''}`,
    ),
  );
  process.stdout.write(out.join('\n') + '\n');
}

/** How `--typecheck` covered the written files: checked, proven alike, or outside every program. */
function typecheckCounts(s: MigrateSummary): string {
  const outside = s.filesOutsideTypecheck
    ? `, ${s.filesOutsideTypecheck} outside the TypeScript programs (not checked)`
    : '';
  return `${s.filesTypeChecked} files checked, ${s.filesProvenAlike} proven alike by their imports${outside}`;
}

/** `ssot migrate [paths...]`: the command's run (registered in ../commands/migrate.ts). */
export async function migrateAction(paths: string[], flags: MigrateFlags): Promise<number> {
  if (flags.rollbackOnTypeErrors && !flags.typecheck)
    throw new UsageError('--rollback-on-type-errors needs --typecheck');
  if (flags.dryRun && flags.typecheck)
    throw new UsageError('--typecheck checks written files; it cannot be combined with --dry-run');
  const shardBy = parseChoice('--shard-by', flags.shardBy ?? 'dir', ['dir', 'hash'] as const);
  const to = parseChoice('--to', flags.to ?? 'compat', ['compat', 'canonical'] as const);
  if (to === 'canonical' && (flags.rename || flags.mergeImports))
    throw new UsageError('--rename and --merge-imports apply to stage 1 (--to compat) only');
  const jobs = parseInteger('--jobs', flags.jobs, 1);
  const limit = parseInteger('--limit', flags.limit, 1);
  const cwd = process.cwd();
  const { config } = loadConfigFor({ paths, cwd, ...(flags.config ? { configPath: flags.config } : {}) });
  const progress = flags.json ? undefined : createProgress('ssot migrate');
  const scope = {
    config,
    paths: paths.map((p) => path.resolve(cwd, p)),
    to,
    ...(jobs !== undefined ? { jobs } : {}),
    ...(flags.shard ? { shard: { ...parseShard(flags.shard), by: shardBy } } : {}),
  };
  // The files are listed and read (on their own thread) while the codemods and their parsers
  // load: those are loaded here, not with the program, and are no part of the other commands' start-up.
  const { startMigrateScan } = await import('../../migrate/start-scan.js');
  const scan = startMigrateScan(scope);
  let migrate: typeof import('../../migrate/run.js').migrate;
  try {
    ({ migrate } = await import('../../migrate/run.js'));
  } catch (error) {
    // migrate() owns the scan from its first line; until then a failure here ends its thread.
    await scan.writer?.close();
    throw error;
  }
  let result: MigrateResult;
  try {
    result = await migrate({
      ...scope,
      scan,
      ...(flags.concept ? { concepts: flags.concept } : {}),
      dryRun: Boolean(flags.dryRun),
      allowDirty: Boolean(flags.allowDirty),
      rename: Boolean(flags.rename),
      mergeImports: Boolean(flags.mergeImports),
      typecheck: Boolean(flags.typecheck),
      rollbackOnTypeErrors: Boolean(flags.rollbackOnTypeErrors),
      ...(limit !== undefined ? { limit } : {}),
      ...(progress ? { onProgress: (d: number, t: number) => progress.update(d, t) } : {}),
      onNotice: (m) => process.stderr.write(`ssot migrate: ${m}\n`),
    });
  } finally {
    progress?.finish();
  }
  if (flags.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else printText(result, Boolean(flags.dryRun));
  return result.exitCode === 0 ? EXIT_OK : EXIT_FINDINGS;
}
