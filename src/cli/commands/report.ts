import type { Command } from 'commander';
import type { ReportFlags } from '../actions/report.js';
import { runCommand } from '../run-command.js';
import { FORMATS } from '../../shared/report-formats.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .summary('report duplicates, import sites and progress')
    .description(
      'report every concept: canonical implementation, duplicates, legacy and canonical sites, progress, verdict',
    )
    .argument('[paths...]', 'files or folders to report on (default: the whole project of the config)')
    .option('--config <path>', 'config file (default: found by walking up from the first path or the cwd)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--jobs <n>', 'threads at most (default: available cores; helpers join only for much source to analyse)')
    .option('--cache', 'reuse per-file analyses from a content-hash cache')
    .option('--cache-location <dir>', 'cache folder (implies --cache; default node_modules/.cache/ssot or .ssot-cache)')
    .option('--changed-since <ref>', 'report only files changed since a git ref, plus untracked files')
    .option('--shard <i/n>', 'analyse shard i of n (files split by a stable hash of their path); combine with --merge')
    .option('--merge <reports...>', 'combine the JSON reports of all shards into one report')
    .option('--history <file>', "append this run's counts to a JSON Lines file; the html format charts it")
    .option('--concept <id>', 'report only this concept')
    .action((paths: string[], flags: ReportFlags) =>
      runCommand(async () => (await import('../actions/report.js')).reportAction(paths, flags)),
    );
}
