import { violations } from '../derive.js';
import { RULES, type Report, type RuleId } from '../types.js';
import { plural } from '../../shared/terminal.js';
import { oneLine, percent, undecidedReason, verdictLabel } from './text.js';

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`);
}

function code(s: string): string {
  const flat = oneLine(s, 120).replace(/\|/g, '\\|');
  return flat.includes('`') ? `<code>${flat.replace(/</g, '&lt;')}</code>` : `\`${flat}\``;
}

/** Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. */
export function formatMarkdown(report: Report): string {
  const out: string[] = [];
  const t = report.totals;
  const ok = report.verdict === 'compliant';
  out.push(`## ssot report: ${ok ? '✅' : report.verdict === 'incomplete' ? '⚠️' : '❌'} ${verdictLabel(report)}`);
  out.push('');
  out.push(
    `${t.duplicates} duplicate implementation${t.duplicates === 1 ? '' : 's'}, ${t.legacySites} legacy import site${t.legacySites === 1 ? '' : 's'} ` +
      `, ${t.missingModuleImports} broken import${t.missingModuleImports === 1 ? '' : 's'}, ${t.canonicalSites} canonical site${t.canonicalSites === 1 ? '' : 's'}; ` +
      `${report.files.scanned} files scanned (${report.files.parsed} parsed, ${report.files.prefilterEmpty} proven empty by the prefilter), ` +
      `${report.files.skipped.length} skipped, ${report.files.parseErrors.length} parse errors.`,
  );
  if (report.scope.partial)
    out.push('', '> Partial report (paths, --changed-since or a shard): "safe to delete" is not decided.');
  if (report.verdict === 'incomplete')
    out.push(
      '',
      `> Incomplete: no violation found, but ${report.files.skipped.length} file(s) in scope could not be read (listed below).`,
    );
  out.push('');
  out.push(
    '| concept | verdict | progress | implementations | duplicates | legacy sites | broken | non-concept | canonical (compat) |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const c of report.concepts) {
    const s = c.summary;
    out.push(
      `| ${escapeMd(c.id)} | ${c.compliant ? '✅' : '❌'} | ${percent(s.progress)} | ${s.implementations} | ${s.duplicates} | ${s.legacySites} | ${s.missingModuleImports} | ${s.nonConceptLegacySites} | ${s.canonicalSites} (${s.compatSites}) |`,
    );
  }
  for (const c of report.concepts) {
    const s = c.summary;
    out.push(
      '',
      `### ${escapeMd(c.id)}`,
      '',
      `Canonical: \`${c.canonical.module}\`${c.compat ? `, compat layer \`${c.compat.module}\`` : ''}.`,
    );
    if (c.duplicates.length > 0) {
      out.push(
        '',
        `<details><summary>Duplicate implementations (${c.duplicates.length})</summary>`,
        '',
        '| file | symbol | evidence |',
        '|---|---|---|',
      );
      for (const d of c.duplicates)
        out.push(`| \`${d.file}:${d.line}\` | ${escapeMd(d.symbol)} | ${d.evidence.map(escapeMd).join('; ')} |`);
      out.push('', '</details>');
    }
    if (c.legacySites.length > 0) {
      out.push(
        '',
        `<details><summary>Legacy import sites (${c.legacySites.length})</summary>`,
        '',
        '| file | module | form | statement |',
        '|---|---|---|---|',
      );
      for (const l of c.legacySites) {
        const instance = l.names.find((n) => n.instanceOf)?.instanceOf;
        out.push(
          `| \`${l.file}:${l.line}\`${l.missing ? ' ⚠️ broken' : ''} | \`${l.module}\` | ${l.form} | ${code(l.code)}` +
            `${instance ? `<br>by hand: ${escapeMd(instance.reason)}` : ''} |`,
        );
      }
      out.push('', '</details>');
    }
    if (c.nonConceptLegacySites.length > 0) {
      out.push(
        '',
        `<details><summary>Non-concept imports still on legacy modules (${c.nonConceptLegacySites.length})</summary>`,
        '',
        '| file | module | statement |',
        '|---|---|---|',
      );
      for (const l of c.nonConceptLegacySites)
        out.push(`| \`${l.file}:${l.line}\`${l.missing ? ' ⚠️ broken' : ''} | \`${l.module}\` | ${code(l.code)} |`);
      out.push('', '</details>');
    }
    if (c.canonicalSites.length > 0) {
      out.push(
        '',
        `<details><summary>Canonical import sites (${c.canonicalSites.length})</summary>`,
        '',
        '| file | module | names |',
        '|---|---|---|',
      );
      for (const x of c.canonicalSites)
        out.push(
          `| \`${x.file}:${x.line}\`${x.compat ? ' (compat)' : ''} | \`${x.specifier}\` | ${x.names.map((n) => escapeMd(n.imported)).join(', ')} |`,
        );
      out.push('', '</details>');
    }
    if (s.compatModule) {
      const status = { 'in-use': 'in use', pending: 'needed by stage 1', 'safe-to-delete': 'safe to delete' }[
        s.compatModule.status ?? 'in-use'
      ];
      const decided = s.compatModule.status === null ? 'not decided (partial)' : status;
      out.push(
        '',
        `Stages: legacy → compat ${s.legacySites} site(s) to go` +
          (s.instanceSites > 0 ? ` (${s.instanceSites} by hand: instances of a legacy class)` : '') +
          `; compat → canonical ${s.compatSites} site(s) to go. ` +
          `Compat layer \`${s.compatModule.module}\`: ${decided}.`,
      );
    }
    if (s.compatNames.length > 0) {
      out.push(
        '',
        'Compat names still in use (stage 2): ' +
          s.compatNames.map((n) => `\`${n.name}\` ×${n.count} → \`${n.replacement ?? '?'}\``).join(', '),
      );
    }
    if (c.transitionSites.length > 0) {
      out.push(
        '',
        `<details><summary>Transition: the canonical module re-exports legacy modules (${c.transitionSites.length})</summary>`,
        '',
        '| file | module | statement |',
        '|---|---|---|',
      );
      for (const l of c.transitionSites) out.push(`| \`${l.file}:${l.line}\` | \`${l.module}\` | ${code(l.code)} |`);
      out.push('', '</details>');
    }
    out.push(
      '',
      `Safe to delete: ${s.safeToDelete === null ? `not decided (${escapeMd(undecidedReason(report))})` : s.safeToDelete.length > 0 ? s.safeToDelete.map((m) => `\`${m}\``).join(', ') : 'none'}.`,
    );
  }
  if (report.files.parseErrors.length > 0 || report.files.skipped.length > 0) {
    out.push('', '### Files not fully analysed', '');
    for (const p of report.files.parseErrors)
      out.push(`- \`${p.file}:${p.line}:${p.column}\` parse error: ${escapeMd(p.message)}`);
    for (const s of report.files.skipped) out.push(`- \`${s.file}\` skipped: ${escapeMd(s.reason)}`);
  }
  return out.join('\n') + '\n';
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** JUnit XML: a suite per concept, a failing test case per violation, an error per parse error. */
export function formatJunit(report: Report): string {
  const all = violations(report);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const c of report.concepts) {
    const mine = all.filter((v) => v.conceptId === c.id);
    const cases: string[] = [];
    if (mine.length === 0) cases.push(`    <testcase classname="ssot.${xml(c.id)}" name="${xml(c.id)} is compliant"/>`);
    for (const v of mine) {
      cases.push(
        `    <testcase classname="ssot.${xml(c.id)}.${v.rule}" name="${xml(`${v.file}:${v.line} ${v.symbol}`)}" file="${xml(v.file)}" line="${v.line}">\n` +
          `      <failure type="ssot/${v.rule}" message="${xml(v.message)}">${xml(`${v.file}:${v.line}:${v.column} ${v.message}\nfingerprint ${v.fingerprint}`)}</failure>\n` +
          `    </testcase>`,
      );
    }
    tests += cases.length;
    failures += mine.length;
    suites.push(
      `  <testsuite name="ssot ${xml(c.id)}" tests="${cases.length}" failures="${mine.length}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const problems = [
    ...report.files.parseErrors.map((p) => ({
      name: `${p.file}:${p.line}:${p.column}`,
      type: 'parse-error',
      message: p.message,
    })),
    ...report.files.skipped.map((s) => ({ name: s.file, type: 'skipped', message: s.reason })),
  ];
  if (problems.length > 0) {
    const cases = problems.map(
      (p) =>
        `    <testcase classname="ssot.files" name="${xml(p.name)}">\n      <error type="${p.type}" message="${xml(p.message)}"/>\n    </testcase>`,
    );
    tests += cases.length;
    suites.push(
      `  <testsuite name="ssot files" tests="${cases.length}" failures="0" errors="${cases.length}" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  out.push(`<testsuites name="ssot report" tests="${tests}" failures="${failures}" errors="${problems.length}">`);
  out.push(...suites);
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** GitHub workflow command escaping (data and property values differ). */
export function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
export function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow annotations: one `::error` per violation, `::warning` per parse error or skip. */
export function formatGithub(report: Report, options: { srcRootPrefix?: string } = {}): string {
  const prefix = options.srcRootPrefix ?? '';
  const lines: string[] = [];
  const all = violations(report);
  const byRule = (rule: RuleId): number => all.filter((v) => v.rule === rule).length;
  for (const v of all) {
    lines.push(
      `::error file=${ghProperty(prefix + v.file)},line=${v.line},col=${v.column},title=${ghProperty(`ssot/${v.rule}`)}::${ghData(v.message)}`,
    );
  }
  for (const p of report.files.parseErrors) {
    lines.push(
      `::warning file=${ghProperty(prefix + p.file)},line=${p.line},col=${p.column},title=ssot parse error::${ghData(p.message)}`,
    );
  }
  for (const s of report.files.skipped)
    lines.push(`::warning file=${ghProperty(prefix + s.file)},title=ssot skipped file::${ghData(s.reason)}`);
  const t = report.totals;
  lines.push(
    // Counts of the annotations above, by rule: the only findings this format lists.
    `::notice title=ssot report::${ghData(`${report.verdict}: ${plural(all.length, 'violation')} (${byRule(RULES.duplicate)} duplicates, ${byRule(RULES.legacy)} legacy imports to migrate, ${byRule(RULES.missing)} broken imports); progress ${report.concepts.map((c) => `${c.id} ${percent(c.summary.progress)}`).join(', ')}`)}`,
  );
  return lines.join('\n') + '\n';
}
