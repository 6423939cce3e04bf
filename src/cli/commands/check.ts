import type { Command } from 'commander';
import type { CheckFlags } from '../actions/check.js';
import { runCommand } from '../run-command.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .summary('fail on violations that are not in the baseline')
    .description(
      'the CI gate: compare the violations with a baseline; exit 1 on new ones (0 pass, 1 findings, 2 error)',
    )
    .option('--config <path>', 'config file (default: found by walking up from the cwd)')
    .option('--baseline <file>', 'baseline file (default: ssot-baseline.json next to the config)')
    .option('--update-baseline', 'write the current violations as the baseline and pass')
    .option('--prune', 'remove fixed (stale) entries from the baseline; never adds new ones')
    .option('--max-new <n>', 'fail only when there are more than n new violations', '0')
    .option('--stale <policy>', 'baseline entries no longer found: error, warn or off', 'warn')
    .option('--format <format>', 'text, json or github', 'text')
    .option('--jobs <n>', 'worker threads (default: available cores)')
    .option('--cache', 'reuse per-file analyses from the content-hash cache')
    .option('--cache-location <dir>', 'cache folder (implies --cache)')
    .option(
      '--allow-skipped',
      'pass although files in scope could not be read (they are listed; without it they fail the gate)',
    )
    .action((flags: CheckFlags) => runCommand(async () => (await import('../actions/check.js')).checkAction(flags)));
}
