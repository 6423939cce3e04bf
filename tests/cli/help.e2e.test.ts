/**
 * The CLI's help reads like git's and npm's: every description (program, commands, arguments,
 * options) starts lower-case and ends without a period, and `ssot --help` lists each command
 * on one line of an 80-column terminal.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { ensureBuilt, REPO, ssotSync } from '../helpers/index.js';

/** Every description of a command and its sub-commands, labelled by where it appears. */
function descriptions(command: Command, prefix = 'ssot'): [string, string][] {
  const own: [string, string][] = [[`${prefix}: description`, command.description()]];
  if (command.summary()) own.push([`${prefix}: summary`, command.summary()]);
  for (const a of command.registeredArguments) own.push([`${prefix} <${a.name()}>`, a.description]);
  for (const o of command.options) own.push([`${prefix} ${o.flags}`, o.description]);
  return [...own, ...command.commands.flatMap((c) => descriptions(c, `${prefix} ${c.name()}`))];
}

describe('ssot --help', () => {
  it('every description starts lower-case and has no trailing period', () => {
    const all = descriptions(createProgram());
    expect(all.length).toBeGreaterThan(30);
    const odd = all.filter(([, text]) => !/^[a-z]/.test(text) || /\.$/.test(text));
    expect(odd.map(([where, text]) => `${where}: ${text}`)).toEqual([]);
  });

  it('lists each command on one line', () => {
    ensureBuilt();
    const r = ssotSync(['--help'], REPO, { COLUMNS: '80' });
    expect(r.code, r.stderr).toBe(0);
    const list = r.stdout
      .slice(r.stdout.indexOf('Commands:\n') + 'Commands:\n'.length)
      .trimEnd()
      .split('\n');
    const names = createProgram().commands.map((c) => c.name());
    expect(list.map((line) => /^ {2}(\S+)/.exec(line)?.[1])).toEqual([...names, 'help']);
    for (const line of list) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
