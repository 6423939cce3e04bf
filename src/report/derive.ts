import { capList } from '../shared/terminal.js';
import {
  RULES,
  type ConceptReport,
  type ConceptSummary,
  type ModuleStatus,
  type Report,
  type Totals,
  type Violation,
} from './types.js';

const byPosition = (
  a: { file: string; line: number; column: number },
  b: { file: string; line: number; column: number },
): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column);

const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };

/** Puts every list in a canonical order, so a report does not depend on how it was computed. */
export function sortFindings(report: Report): void {
  report.files.skipped.sort(byKey((s) => s.file));
  report.files.parseErrors.sort(
    (a, b) => byPosition(a, b) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  report.files.missingPaths.sort();
  for (const c of report.concepts) {
    c.duplicates.sort((a, b) => byPosition(a, b) || byKey<{ symbol: string }>((d) => d.symbol)(a, b));
    c.legacySites.sort(byPosition);
    c.nonConceptLegacySites.sort(byPosition);
    c.internalLegacySites.sort(byPosition);
    c.transitionSites.sort(byPosition);
    c.canonicalSites.sort(byPosition);
  }
}

function countBy<T, K extends string>(items: readonly T[], key: (x: T) => K): { key: K; count: number }[] {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Every number of a report, from its lists alone: per concept summary, compliance, totals and
 * the verdict. Used for a fresh report and for a merge of shards, so both agree by construction.
 */
export function derive(report: Report): Report {
  const partial = report.scope.partial;
  // "Safe to delete" and "deleted" claim that no file imports a module: a claim only a whole,
  // fully read scope can make (an unread file may import it).
  const absenceKnown = !partial && report.files.skipped.length === 0 && report.files.inScope > 0;
  for (const c of report.concepts) {
    // Every import of a module keeps it alive: concept or not, any form (and a transition re-export).
    const importers = [...c.legacySites, ...c.nonConceptLegacySites, ...c.transitionSites];
    const internalOf = (m: string) => c.internalLegacySites.filter((s) => s.module === m);
    // A module can go when nobody imports it, or only legacy modules that can go themselves.
    const deletable = new Set(
      c.legacyModules.filter((m) => m.exists && !importers.some((s) => s.module === m.module)).map((m) => m.module),
    );
    const ownerOf = (file: string): string | undefined =>
      c.legacyModules.find((l) => l.path !== null && containsFile(l.path, file))?.module;
    for (let changed = true; changed;) {
      changed = false;
      for (const m of [...deletable]) {
        const blocked = internalOf(m).some((s) => {
          const owner = ownerOf(s.file);
          return owner !== undefined && owner !== m && !deletable.has(owner);
        });
        if (blocked) {
          deletable.delete(m);
          changed = true;
        }
      }
    }
    const modules: ModuleStatus[] = c.legacyModules.map((m) => {
      const legacySites = c.legacySites.filter((s) => s.module === m.module).length;
      const nonConceptSites = c.nonConceptLegacySites.filter((s) => s.module === m.module).length;
      const internalSites = internalOf(m.module).length;
      const transitionSites = c.transitionSites.filter((s) => s.module === m.module).length;
      const used = legacySites + nonConceptSites + transitionSites > 0;
      const status: ModuleStatus['status'] = partial
        ? null
        : m.exists
          ? deletable.has(m.module)
            ? absenceKnown
              ? 'safe-to-delete'
              : null
            : 'in-use'
          : used
            ? 'broken'
            : absenceKnown
              ? 'deleted'
              : null;
      return {
        module: m.module,
        exists: m.exists,
        legacySites,
        nonConceptSites,
        internalSites,
        transitionSites,
        status,
      };
    });
    const compatNames = new Map<string, { count: number; replacement: string | null }>();
    for (const s of c.canonicalSites) {
      if (!s.compat) continue;
      for (const n of s.names) {
        const entry = compatNames.get(n.imported) ?? { count: 0, replacement: n.replacement };
        entry.count++;
        compatNames.set(n.imported, entry);
      }
    }
    const legacy = c.legacySites.length;
    const canonical = c.canonicalSites.length;
    const missing = importers.filter((s) => s.missing).length;
    const existingLegacy = c.legacySites.filter((s) => !s.missing).length;
    c.summary = {
      implementations: 1 + c.duplicates.length,
      duplicates: c.duplicates.length,
      legacySites: legacy,
      instanceSites: c.legacySites.filter((s) => s.names.some((n) => n.instanceOf)).length,
      nonConceptLegacySites: c.nonConceptLegacySites.length,
      internalLegacySites: c.internalLegacySites.length,
      transitionSites: c.transitionSites.length,
      missingModuleImports: missing,
      canonicalSites: canonical,
      compatSites: c.canonicalSites.filter((s) => s.compat).length,
      compatNames: [...compatNames].map(([name, v]) => ({ name, ...v })).sort(byKey((x) => x.name)),
      legacyByModule: countBy(c.legacySites, (s) => s.module).map(({ key, count }) => ({ module: key, count })),
      legacyByForm: countBy(c.legacySites, (s) => s.form).map(({ key, count }) => ({ form: key, count })),
      modules,
      safeToDelete: absenceKnown ? modules.filter((m) => m.status === 'safe-to-delete').map((m) => m.module) : null,
      compatModule: compatStatus(c, absenceKnown),
      progress: canonical + legacy > 0 ? canonical / (canonical + legacy) : null,
      violations: c.duplicates.length + existingLegacy + missing,
    };
    // One implementation (the canonical module) and nothing left on legacy modules, nothing broken.
    c.compliant = c.duplicates.length === 0 && legacy === 0 && missing === 0;
  }
  const sum = (f: (c: ConceptReport) => number): number => report.concepts.reduce((n, c) => n + f(c), 0);
  const totals: Totals = {
    concepts: report.concepts.length,
    compliantConcepts: report.concepts.filter((c) => c.compliant).length,
    duplicates: sum((c) => c.summary.duplicates),
    legacySites: sum((c) => c.summary.legacySites),
    nonConceptLegacySites: sum((c) => c.summary.nonConceptLegacySites),
    internalLegacySites: sum((c) => c.summary.internalLegacySites),
    transitionSites: sum((c) => c.summary.transitionSites),
    missingModuleImports: sum((c) => c.summary.missingModuleImports),
    canonicalSites: sum((c) => c.summary.canonicalSites),
    compatSites: sum((c) => c.summary.compatSites),
    violations: sum((c) => c.summary.violations),
    parseErrors: report.files.parseErrors.length,
    skippedFiles: report.files.skipped.length,
  };
  report.totals = totals;
  report.verdict =
    totals.compliantConcepts < totals.concepts
      ? 'not-compliant'
      : report.files.skipped.length > 0
        ? 'incomplete'
        : 'compliant';
  return report;
}

/**
 * The compat layer between the stages: used by compat sites, or still to be used by the legacy
 * sites stage 1 moves. Like a legacy module, it is called safe to delete only when the report saw
 * every file in scope (`absenceKnown`).
 */
function compatStatus(c: ConceptReport, absenceKnown: boolean): ConceptSummary['compatModule'] {
  if (!c.compat) return null;
  const sites = c.canonicalSites.filter((s) => s.compat).length;
  const status = sites > 0 ? 'in-use' : !absenceKnown ? null : c.legacySites.length > 0 ? 'pending' : 'safe-to-delete';
  return { module: c.compat.module, sites, status };
}

/** The violations of a report, one per finding that breaks a rule, in report order. */
export function violations(report: Report): Violation[] {
  const out: Violation[] = [];
  for (const c of report.concepts) {
    for (const d of c.duplicates) {
      out.push({
        rule: RULES.duplicate,
        conceptId: c.id,
        file: d.file,
        line: d.line,
        column: d.column,
        symbol: d.symbol,
        message: `${d.symbol} is another implementation of ${c.id} (canonical: ${c.canonical.module}): ${d.evidence.join('; ')}`,
        fingerprint: d.fingerprint,
      });
    }
    for (const s of [...c.legacySites, ...c.nonConceptLegacySites]) {
      if (!s.rule) continue;
      // One line, however many names the import holds (capList).
      const names = s.names.length > 0 ? capList(s.names.map((n) => n.imported)) : `the whole module (${s.form})`;
      const moved = s.names.filter((n) => n.mapsTo).map((n) => `${n.imported} -> ${n.mapsTo}`);
      const instance = s.names.find((n) => n.instanceOf)?.instanceOf;
      const message =
        s.rule === RULES.missing
          ? `imports ${names} from legacy module ${s.module}, which no longer exists: this import is broken`
          : instance
            ? `imports ${names} from legacy module ${s.module}; ${instance.reason}`
            : `imports ${names} from legacy module ${s.module}; migrate to ${c.compat?.module ?? c.canonical.module}` +
              (moved.length > 0 ? ` (${capList(moved)})` : '');
      out.push({
        rule: s.rule,
        conceptId: c.id,
        file: s.file,
        line: s.line,
        column: s.column,
        symbol: s.names.length > 0 ? s.names.map((n) => n.imported).join(',') : s.specifier,
        message,
        fingerprint: s.fingerprint,
      });
    }
  }
  return out.sort((a, b) => byPosition(a, b) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** True when a repo-relative file is the legacy module `modulePath` (file, its extension twin, or inside the folder). */
function containsFile(modulePath: string, file: string): boolean {
  const strip = (p: string): string => p.replace(/\.d\.(c|m)?ts$/, '').replace(/\.(c|m)?(t|j)sx?$/, '');
  return (
    file === modulePath || file.startsWith(modulePath.replace(/\/$/, '') + '/') || strip(file) === strip(modulePath)
  );
}
