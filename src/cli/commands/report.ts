import type { Command } from 'commander';

/** Placeholder until the `report` command lands; replaced by its owner. */
export function registerReport(program: Command): void {
  program.command('report').description('(not implemented yet)').action(() => {
    process.stderr.write('ssot report: not implemented yet\n');
    process.exitCode = 2;
  });
}
