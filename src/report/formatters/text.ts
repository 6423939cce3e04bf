import { capList, colors as makeColors, plural, type Colors } from '../../shared/terminal.js';
import type { ConceptReport, LegacySiteItem, Report } from '../types.js';

export interface TextOptions {
  color: boolean;
}

export function percent(progress: number | null): string {
  return progress === null ? 'n/a' : `${Math.floor(progress * 1000) / 10}%`;
}

export function oneLine(code: string, max = 110): string {
  const flat = code.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function bar(progress: number | null, width = 24): string {
  const filled = progress === null ? 0 : Math.round(progress * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function siteLine(s: LegacySiteItem, c: Colors): string {
  const names =
    s.names.length > 0
      ? capList(
          s.names.map((n) =>
            n.mapsTo
              ? `${n.imported} -> ${n.mapsTo}`
              : n.instanceOf
                ? `${n.imported} (instance of ${n.instanceOf.className}, no counterpart)`
                : `${n.imported} (not in concept)`,
          ),
          8,
        )
      : `whole module (${s.form})`;
  // Why a site has no counterpart, below its names (one line per site: the first instance says it).
  const instance = s.names.find((n) => n.instanceOf)?.instanceOf;
  const byHand = instance ? `\n        ${c.yellow(`by hand: ${instance.reason}`)}` : '';
  return `    ${c.cyan(`${s.file}:${s.line}`)}  ${s.form}  ${oneLine(s.code)}\n      ${c.dim(`${s.module}: ${names}`)}${byHand}`;
}

function concept(cr: ConceptReport, report: Report, c: Colors): string[] {
  const s = cr.summary;
  const out: string[] = [];
  const mark = cr.compliant ? c.green('compliant') : c.red('not compliant');
  out.push(c.bold(`Concept ${cr.id}`) + (cr.description ? c.dim(` — ${cr.description}`) : '') + `  [${mark}]`);
  out.push(
    `  canonical: ${cr.canonical.module}${cr.canonical.path ? ` (${cr.canonical.path})` : ''}` +
      (cr.canonical.names.length > 0 ? `, names ${cr.canonical.names.join(', ')}` : '') +
      (cr.compat ? `; compat layer ${cr.compat.module}` : ''),
  );
  out.push(`  implementations: ${s.implementations} (the canonical module + ${plural(s.duplicates, 'duplicate')})`);
  out.push(
    `  migration progress: ${bar(s.progress)} ${percent(s.progress)}  ` +
      c.dim(`= ${s.canonicalSites} canonical / (${s.canonicalSites} canonical + ${s.legacySites} legacy) sites`),
  );
  if (s.compatModule) {
    const byHand = s.instanceSites > 0 ? `; ${s.instanceSites} by hand: instances of a legacy class` : '';
    const stage1 =
      s.legacySites === 0 ? c.green('done') : `${plural(s.legacySites, 'legacy site')} to go (ssot migrate${byHand})`;
    const stage2 =
      s.compatSites > 0
        ? `${plural(s.compatSites, 'compat site')} to go (ssot migrate --to canonical)`
        : s.legacySites === 0
          ? c.green('done')
          : 'after stage 1';
    out.push(`  stages: legacy -> compat ${stage1} · compat -> canonical ${stage2}`);
  }
  out.push('');

  out.push(c.bold(`  Duplicate implementations (${s.duplicates})`));
  for (const d of cr.duplicates) {
    out.push(
      `    ${c.cyan(`${d.file}:${d.line}`)}  ${c.bold(d.symbol)} ${c.dim(`(${d.declarationKind})`)}  ${c.dim(`fingerprint ${d.fingerprint.slice(0, 12)}`)}`,
    );
    for (const e of d.evidence) out.push(`      - ${e}`);
  }
  if (s.duplicates === 0) out.push(c.dim('    none'));
  out.push('');

  const broken = cr.legacySites.filter((x) => x.missing).length;
  out.push(
    c.bold(`  Legacy import sites (${s.legacySites})`) + (broken > 0 ? c.red(`, ${broken} on deleted modules`) : ''),
  );
  if (s.legacySites > 0) {
    out.push(c.dim(`    by module: ${s.legacyByModule.map((m) => `${m.module} ${m.count}`).join(', ')}`));
    out.push(c.dim(`    by form:   ${s.legacyByForm.map((m) => `${m.form} ${m.count}`).join(', ')}`));
  }
  for (const site of cr.legacySites)
    out.push(siteLine(site, c) + (site.missing ? c.red('  BROKEN: module no longer exists') : ''));
  if (s.legacySites === 0) out.push(c.dim('    none'));
  out.push('');

  if (s.nonConceptLegacySites > 0) {
    out.push(
      c.bold(`  Non-concept imports still on legacy modules (${s.nonConceptLegacySites})`) +
        c.dim(' — nothing to migrate, but they block deleting the module'),
    );
    for (const site of cr.nonConceptLegacySites)
      out.push(siteLine(site, c) + (site.missing ? c.red('  BROKEN: module no longer exists') : ''));
    out.push('');
  }

  if (s.internalLegacySites > 0) {
    out.push(
      c.bold(`  Imports inside legacy modules (${s.internalLegacySites})`) +
        c.dim(' — part of the code being retired; they go with the module, not counted as legacy sites'),
    );
    for (const site of cr.internalLegacySites)
      out.push(`    ${c.cyan(`${site.file}:${site.line}`)}  ${oneLine(site.code)}  ${c.dim(`(${site.module})`)}`);
    out.push('');
  }

  if (s.transitionSites > 0) {
    out.push(
      c.bold(`  Transition: the canonical module re-exports legacy modules (${s.transitionSites})`) +
        c.dim(' — the usual first step of a consolidation; not violations, but the legacy module stays until they go'),
    );
    for (const site of cr.transitionSites)
      out.push(`    ${c.cyan(`${site.file}:${site.line}`)}  ${oneLine(site.code)}  ${c.dim(`(${site.module})`)}`);
    out.push('');
  }

  out.push(c.bold(`  Canonical import sites (${s.canonicalSites})`) + `, ${s.compatSites} on the compat layer`);
  for (const site of cr.canonicalSites) {
    out.push(
      `    ${c.cyan(`${site.file}:${site.line}`)}  ${site.specifier}${site.compat ? c.yellow(' (compat)') : ''}  ${site.names.map((n) => n.imported).join(', ')}`,
    );
  }
  for (const n of s.compatNames) {
    out.push(
      c.yellow(`    compat name ${n.name} used ${plural(n.count, 'time')}`) +
        (n.replacement
          ? ` -> stage 2: ${n.replacement} from ${cr.canonical.module}`
          : ' (no canonical replacement known)'),
    );
  }
  if (s.canonicalSites === 0) out.push(c.dim('    none'));
  out.push('');

  out.push(c.bold('  Legacy modules'));
  for (const m of s.modules) {
    const status =
      m.status === null
        ? c.dim(`not decided (${undecidedReason(report)})`)
        : m.status === 'safe-to-delete'
          ? c.green('safe to delete')
          : m.status === 'broken'
            ? c.red('deleted, still imported')
            : m.status === 'deleted'
              ? c.green('deleted')
              : 'in use';
    const transition = m.transitionSites > 0 ? `, ${m.transitionSites} from the canonical module` : '';
    out.push(
      `    ${m.module.padEnd(40)} ${status}  ${c.dim(`${plural(m.legacySites, 'site')}, ${m.nonConceptSites} non-concept, ${m.internalSites} from legacy modules${transition}`)}`,
    );
  }
  out.push(
    s.safeToDelete === null
      ? c.dim(`    safe to delete: not decided (${undecidedReason(report)})`)
      : s.safeToDelete.length > 0
        ? `    safe to delete: ${c.green(s.safeToDelete.join(', '))}` +
          c.dim(` (no file of the ${report.files.inScope} in scope imports them, by any name or in any form)`)
        : '    safe to delete: none',
  );
  if (s.compatModule) {
    const m = s.compatModule;
    const status =
      m.status === null
        ? c.dim(`not decided (${undecidedReason(report)})`)
        : m.status === 'safe-to-delete'
          ? c.green('safe to delete')
          : m.status === 'pending'
            ? 'needed by stage 1'
            : 'in use';
    out.push(c.bold('  Compat layer'));
    out.push(`    ${m.module.padEnd(40)} ${status}  ${c.dim(plural(m.sites, 'site'))}`);
  }
  return out;
}

/** The verdict in words: compliant, not compliant, or incomplete (files in scope could not be read). */
export function verdictLabel(report: Report): string {
  return report.verdict === 'not-compliant' ? 'not compliant' : report.verdict;
}

/** Why "safe to delete" is not decided: only a whole scope, read in full, can show that nothing imports a module. */
export function undecidedReason(report: Report): string {
  if (report.scope.partial) return 'partial report: files outside it may import them';
  return `${plural(report.files.skipped.length, 'file')} in scope could not be read and may import them`;
}

/** Grouped, human-readable text; colour only when asked (the CLI decides with src/cli/tty.ts). */
export function formatText(report: Report, options: TextOptions): string {
  const c = makeColors(options.color);
  const sc = report.scope;
  const f = report.files;
  const out: string[] = [];
  out.push(
    c.bold(`ssot report`) +
      ` ${sc.root}` +
      c.dim(`  (ssot-kit ${report.tool.version}, report schema ${report.schemaVersion})`),
  );
  out.push(
    c.dim(
      `scope: config ${sc.config ?? '(inline)'}; include ${sc.include.join(' ')}; exclude ${sc.exclude.length > 0 ? sc.exclude.join(' ') : '(none)'}; ` +
        `tsconfig ${sc.tsconfig ?? 'nearest per file'}` +
        (sc.paths.length > 0 ? `; paths ${sc.paths.join(' ')}` : '') +
        (sc.changedSince !== null ? `; changed since ${sc.changedSince}` : '') +
        (sc.shard ? `; shard ${sc.shard.index}/${sc.shard.count}` : ''),
    ),
  );
  out.push(
    `files: ${f.inScope} in scope, ${f.scanned} scanned (${f.parsed} parsed, ${f.prefilterEmpty} proven empty by the text prefilter), ` +
      `${plural(f.skipped.length, 'skipped file')}, ${plural(f.parseErrors.length, 'parse error')}`,
  );
  if (sc.partial)
    out.push(c.yellow('partial report: only some files in scope were analysed; "safe to delete" is not decided'));
  for (const s of f.skipped) out.push(c.yellow(`  skipped ${s.file}: ${s.reason}`));
  for (const p of f.parseErrors) out.push(c.red(`  parse error ${p.file}:${p.line}:${p.column}: ${p.message}`));
  for (const p of f.missingPaths) out.push(c.red(`  path not found: ${p}`));
  out.push('');
  for (const cr of report.concepts) {
    out.push(...concept(cr, report, c));
    out.push('');
  }
  const t = report.totals;
  out.push(
    c.bold('Totals: ') +
      `${plural(t.concepts, 'concept')} (${t.compliantConcepts} compliant); ${plural(t.duplicates, 'duplicate')}, ${plural(t.legacySites, 'legacy site')}` +
      `, ${plural(t.missingModuleImports, 'broken import')}, ${t.nonConceptLegacySites} non-concept, ${t.transitionSites} transition, ${plural(t.canonicalSites, 'canonical site')} (${t.compatSites} on compat); ` +
      `${plural(t.violations, 'violation')}`,
  );
  const reasons = report.concepts
    .filter((cr) => !cr.compliant)
    .map(
      (cr) =>
        `${cr.id}: ${plural(cr.summary.duplicates, 'duplicate')}, ${plural(cr.summary.legacySites, 'legacy site')}, ${plural(cr.summary.missingModuleImports, 'broken import')}`,
    );
  out.push(
    c.bold('Verdict: ') +
      (report.verdict === 'compliant'
        ? c.green('compliant') + c.dim(' (every concept has one implementation and no legacy sites)')
        : report.verdict === 'incomplete'
          ? c.yellow('incomplete') +
            ` — no violation found, but ${plural(f.skipped.length, 'file')} in scope could not be read (listed above)`
          : c.red('not compliant') + ` — ${reasons.join('; ')}`),
  );
  if (report.timing) {
    const tm = report.timing;
    out.push(
      c.dim(
        `time: ${tm.totalMs} ms (analysis ${tm.analyseMs} ms, ${plural(tm.jobs, 'thread')}); ${tm.analysedFiles} files analysed` +
          (tm.cacheHits + tm.cacheMisses > 0 ? `, cache ${tm.cacheHits} hits / ${tm.cacheMisses} misses` : ''),
      ),
    );
  }
  return out.join('\n') + '\n';
}
