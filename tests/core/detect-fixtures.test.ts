import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config/load.js';
import { describeSignal } from '../../src/core/detect.js';
import { analyzeProject } from '../../src/core/project.js';
import type { Report } from '../../src/report/types.js';
import { cleanup, copyFixture, ensureBuilt, PLUGIN, REPO, ssotInProcess } from '../helpers/index.js';

/**
 * Each fixtures/detect/<case>/ is a project with the canonical Emitter and one shape around it;
 * case.json says which declarations are duplicates (with the first line of their evidence) and
 * which are not. The core, the report (CLI, JSON) and the ESLint rule must all agree with it. The
 * report is the built CLI's in-process (ssotInProcess: same code and output as the child process).
 */

interface Case {
  about: string;
  duplicates: { file: string; symbol: string; evidence: string }[];
  clean: { file: string; symbol: string; why: string }[];
}

const CASES_DIR = path.join(REPO, 'fixtures/detect');
const cases = fs
  .readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => ({
    name: e.name,
    spec: JSON.parse(fs.readFileSync(path.join(CASES_DIR, e.name, 'case.json'), 'utf8')) as Case,
  }));

const key = (d: { file: string; symbol: string }): string => `${d.file} ${d.symbol}`;

beforeAll(() => ensureBuilt());
afterAll(cleanup);

describe('fixtures/detect: every shape, through the core, the report and the ESLint rule', () => {
  it('has a case for each shape the issue lists', () => {
    expect(cases.map((c) => c.name).sort()).toEqual([
      'dup-copied-body',
      'dup-own-storage',
      'dup-redeclared-name',
      'not-ambient',
      'not-consumer-hook',
      'not-data-table',
      'not-interface',
      'not-subclass-via-reexport',
      'not-wrapper',
    ]);
    for (const c of cases)
      expect(c.name.startsWith('dup-') ? c.spec.duplicates.length : c.spec.clean.length, c.name).toBeGreaterThan(0);
  });

  describe.each(cases)('$name', ({ name, spec }) => {
    const expected = spec.duplicates.map(key).sort();

    it('core: exactly the expected duplicates, each with its decisive evidence first', () => {
      const root = path.join(CASES_DIR, name);
      const project = analyzeProject(loadConfig({ cwd: root }));
      const found = project.analyses.flatMap((a) =>
        a.duplicates.map((d) => ({
          file: path.relative(root, a.file).split(path.sep).join('/'),
          symbol: d.symbol,
          signals: d.signals,
        })),
      );
      expect(found.map(key).sort()).toEqual(expected);
      for (const dup of spec.duplicates) {
        const f = found.find((x) => key(x) === key(dup))!;
        expect(
          f.signals.map(describeSignal).some((line) => new RegExp(dup.evidence).test(line)),
          f.signals.map(describeSignal).join('\n'),
        ).toBe(true);
      }
      for (const clean of spec.clean) expect(found.map(key)).not.toContain(key(clean));
    });

    it('report: the same duplicates and evidence in `ssot report --format json`', async () => {
      const r = await ssotInProcess(['report', '--format', 'json'], copyFixture('detect', name));
      expect(r.code, r.stderr).toBe(0); // a report, not a gate (ssot check is)
      const concept = (JSON.parse(r.stdout) as Report).concepts[0]!;
      expect(concept.duplicates.map(key).sort()).toEqual(expected);
      expect(concept.summary.violations).toBe(concept.duplicates.length + concept.legacySites.length);
      for (const dup of spec.duplicates) {
        const item = concept.duplicates.find((d) => key(d) === key(dup))!;
        expect(
          item.evidence.some((line) => new RegExp(dup.evidence).test(line)),
          item.evidence.join('\n'),
        ).toBe(true);
      }
    });

    it('ESLint: the built plugin reports the same declarations, nothing else', async () => {
      const root = copyFixture('detect', name);
      const { default: plugin } = (await import(PLUGIN)) as {
        default: { configs: { recommended: ESLint.Options['overrideConfig'] } };
      };
      const eslint = new ESLint({
        cwd: root,
        overrideConfigFile: true,
        overrideConfig: [
          ...(plugin.configs.recommended as object[]),
          { rules: { 'ssot/no-legacy-import': 'off', 'ssot/no-missing-legacy-module': 'off' } },
        ],
      });
      const results = await eslint.lintFiles(['src/**/*.ts']);
      const reported = results.flatMap((res) =>
        res.messages.map((m) => {
          expect(m.ruleId, m.message).toBe('ssot/no-duplicate-implementation');
          const symbol = /^\w+ (\S+) implements/.exec(m.message)?.[1] ?? '?';
          return { file: path.relative(root, res.filePath).split(path.sep).join('/'), symbol, message: m.message };
        }),
      );
      expect(reported.map(key).sort()).toEqual(expected);
      for (const dup of spec.duplicates) {
        const message = reported.find((x) => key(x) === key(dup))!.message;
        expect(
          message
            .split(': ')
            .slice(1)
            .join(': ')
            .split('; ')
            .some((line) => new RegExp(dup.evidence.replace(/\$$/, '(\\. Use|$)')).test(line)),
          message,
        ).toBe(true);
      }
    });
  });
});
