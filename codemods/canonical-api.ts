import * as fs from 'node:fs';
import { analyzeFile } from '../src/core/analyze.js';
import type { ResolvedConcept } from '../src/core/config/types.js';
import { applyEdits } from '../src/core/rewrite/plan.js';
import { specifierFor } from '../src/core/rewrite/specifier.js';
import type { ClassifiedSite, FileAnalysis, ImportForm, TextEdit } from '../src/core/types.js';
import ts from '../src/core/typescript.cjs';
import { CheckerProgram, conceptModuleFiles } from './checker-program.js';
import { conceptScope } from './checker-scope.js';
import { newFindings, type Finding } from './findings.js';
import { FilePlanner, type CompatEnv, type Use } from './canonical/uses.js';
import { planImports, type SiteBindings } from './canonical/imports.js';
import type { MigrationContext, RefusedSite, SiteRef } from './import-migration.js';

/**
 * Stage 2 of a migration (`ssot migrate --to canonical`): from the compat layer to the canonical
 * API. A program over the files that import the compat layer (checker-program.ts, one for the whole
 * run) gives the type checker; every use whose symbol is really a compat export, or a method of a compat class,
 * becomes the canonical call (codemods/canonical/uses.ts), the imports follow
 * (codemods/canonical/imports.ts), and the rewritten files are type-checked together against the
 * originals: a use whose rewrite adds a type error is left on the compat layer and listed with the
 * error, and the rest is planned again without it. Edits are offsets into the original text, so
 * untouched code stays byte for byte.
 */

export interface CanonicalFileResult {
  file: string;
  status: 'changed' | 'unchanged' | 'failed';
  output?: string;
  error?: string;
  /** Uses of the compat layer rewritten (where, and the compat import they went through). */
  rewritten: SiteRef[];
  refused: RefusedSite[];
  notes: string[];
}

interface FileState {
  file: string;
  text: string;
  analysis: FileAnalysis;
  compatSites: ClassifiedSite[];
  concept: ResolvedConcept;
  /** Uses left on the compat layer because their rewrite added a type error: `start-end` -> why. */
  excluded: Map<string, string>;
  /** Set when the file's rewrite adds a type error no use of it holds: the file stays as it is. */
  frozen?: string;
  result: CanonicalFileResult;
  /** Use node ranges in the original text (for tracing a type error to a use). */
  useRanges: { start: number; end: number }[];
  edits: TextEdit[];
}

/**
 * Each round of planning and checking leaves at least one more use (or file) on the compat layer,
 * so the rounds end; this bounds them should a program keep changing its errors anyway.
 */
const MAX_ROUNDS = 20;

/** Stage 2 over some files (their current text). Files without a compat site come back 'unchanged'. */
export function migrateToCanonical(
  mctx: MigrationContext,
  inputs: readonly { file: string; text: string }[],
  options: { concepts?: readonly string[] } = {},
): CanonicalFileResult[] {
  const { ctx } = mctx;
  const config = ctx.config;
  const concepts = config.concepts.filter((c) => c.compat && (!options.concepts || options.concepts.includes(c.id)));
  const results: CanonicalFileResult[] = [];
  const states: FileState[] = [];
  for (const { file, text } of inputs) {
    const empty: CanonicalFileResult = { file, status: 'unchanged', rewritten: [], refused: [], notes: [] };
    const analysis = analyzeFile(ctx, file, text, { skipDuplicates: true });
    const compatSites = analysis.sites.filter(
      (s) =>
        s.target.kind === 'canonical' &&
        s.target.compat &&
        concepts.some((c) => c.id === (s.target as { conceptId: string }).conceptId),
    );
    const isLegacyModule = analysis.sites.some((s) => s.target.kind === 'legacy' && s.target.internal);
    const concept = concepts.find(
      (c) => c.id === (compatSites[0]?.target as { conceptId?: string } | undefined)?.conceptId,
    );
    if (compatSites.length === 0 || isLegacyModule || !concept) {
      results.push(empty);
      continue;
    }
    states.push({
      file,
      text,
      analysis,
      compatSites,
      concept,
      excluded: new Map(),
      result: empty,
      useRanges: [],
      edits: [],
    });
  }
  if (states.length === 0) return results;

  const files = states.map((s) => s.file);
  // The compat and canonical modules are roots too: the checker asks for their exports.
  const probe = new CheckerProgram(config, [], conceptScope(config, []));
  const targets = new Map<string, ConceptFiles>();
  for (const s of states)
    if (!targets.has(s.concept.id)) targets.set(s.concept.id, conceptFiles(probe, s.concept, s.file));
  const extra = [...targets.values()]
    .flatMap((t) => (typeof t === 'string' ? [] : [t.compat, t.canonical]))
    .filter((f) => fs.existsSync(f));
  const project = new CheckerProgram(config, [...files, ...extra], conceptScope(config, files));
  const before = project.diagnostics(files);

  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Every file is planned with this round's program, then the outputs replace the texts together.
    const envs = new Map<string, CompatEnv | string>();
    for (const [id, t] of targets) envs.set(id, compatEnv(project, t, id));
    for (const s of states) planFile(mctx, project.sourceFile(s.file)!, s, envs.get(s.concept.id)!);
    for (const s of states) project.setText(s.file, s.result.output);
    const changed = states.filter((s) => s.result.output !== undefined);
    const after = project.diagnostics(changed.map((s) => s.file));
    let retry = false;
    for (const s of changed) {
      const fresh = newFindings(before.get(s.file) ?? [], after.get(s.file) ?? []);
      if (fresh.length === 0) continue;
      retry = true;
      traceErrors(s, fresh);
    }
    for (const s of states) project.setText(s.file, undefined);
    if (!retry) break;
    if (round === MAX_ROUNDS - 1)
      for (const s of changed)
        s.result = { ...s.result, status: 'failed', error: 'refused: the rewrite kept adding type errors' };
  }
  return [...results, ...states.map((s) => s.result)].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * A type error in the output: the use whose rewritten range holds it is excluded; else every use of
 * the file; and when no use is left to exclude (the error comes from an import edit alone), the
 * file stays as it is. Every round so excludes something, and the rounds end.
 */
function traceErrors(s: FileState, fresh: readonly Finding[]): void {
  const key = (r: { start: number; end: number }): string => `${r.start}-${r.end}`;
  const mapped = s.useRanges.map((r) => ({ r, start: mapOffset(s.edits, r.start), end: mapOffset(s.edits, r.end) }));
  let excludedNow = 0;
  for (const d of fresh) {
    const error = `TS${d.code} ${d.message.split('\n')[0]}`;
    const hit =
      d.start === undefined
        ? undefined
        : mapped
            .filter((m) => d.start! >= m.start && d.start! <= m.end)
            .sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    if (hit && !s.excluded.has(key(hit.r))) {
      s.excluded.set(key(hit.r), `its rewrite would not type-check: ${error}`);
      excludedNow++;
      continue;
    }
    for (const r of s.useRanges) {
      if (s.excluded.has(key(r))) continue;
      s.excluded.set(key(r), `the file would not type-check after its rewrites (line ${d.line}: ${error})`);
      excludedNow++;
    }
    if (excludedNow === 0) s.frozen = `the file would not type-check after its rewrite (line ${d.line}: ${error})`;
  }
}

/** Where an offset of the original text lands in the edited text. */
function mapOffset(edits: readonly TextEdit[], pos: number): number {
  let delta = 0;
  for (const e of edits) if (e.end <= pos) delta += e.text.length - (e.end - e.start);
  return pos + delta;
}

/** The compat layer's and the canonical module's files of a concept, or why they cannot be read. */
type ConceptFiles = { compat: string; canonical: string } | string;

function conceptFiles(probe: CheckerProgram, concept: ResolvedConcept, fromFile: string): ConceptFiles {
  const { compat, canonical } = conceptModuleFiles(probe, concept, fromFile);
  if (!compat || !canonical)
    return `the compat layer or the canonical module of concept "${concept.id}" does not resolve from ${fromFile}`;
  return { compat, canonical };
}

function compatEnv(project: CheckerProgram, files: ConceptFiles, conceptId: string): CompatEnv | string {
  if (typeof files === 'string') return files;
  const compatFile = project.sourceFile(files.compat);
  const canonicalFile = project.sourceFile(files.canonical);
  const checker = project.checker;
  const compatSymbol = compatFile && checker.getSymbolAtLocation(compatFile);
  const canonicalSymbol = canonicalFile && checker.getSymbolAtLocation(canonicalFile);
  if (!compatFile || !compatSymbol || !canonicalSymbol)
    return `cannot read the compat layer or the canonical module of concept "${conceptId}"`;
  const exports = new Map<ts.Symbol, string>();
  for (const e of checker.getExportsOfModule(compatSymbol)) {
    exports.set(e, e.name);
    if (e.flags & ts.SymbolFlags.Alias) exports.set(checker.getAliasedSymbol(e), e.name);
  }
  const canonicalExports = checker.getExportsOfModule(canonicalSymbol);
  const has = (list: readonly ts.Symbol[], name: string) => list.some((e) => e.name === name);
  if (
    !has([...exports.keys()], 'MessageRouter') ||
    !has(canonicalExports, 'getDefaultRouter') ||
    !has(canonicalExports, 'CanonicalMessageRouter')
  ) {
    return `stage 2 rewrites the ssot-kit router's compat layer; concept "${conceptId}" has another one`;
  }
  const options = canonicalExports.find((e) => e.name === 'RouterOptions');
  const optionsType = options
    ? checker.getDeclaredTypeOfSymbol(
        options.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(options) : options,
      )
    : undefined;
  const canonicalOptionKeys = new Set((optionsType?.getProperties() ?? []).map((p) => p.getName()));
  const resolvedCanonical = new Set(
    canonicalExports.map((e) => (e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e)),
  );
  return { checker, exports, compatFile, canonicalExports: resolvedCanonical, canonicalOptionKeys, quote: "'" };
}

// ---- one file ---------------------------------------------------------------------------------

/** A use as the run reports it: where it is, and the compat import it goes through. */
function siteRefOf(sf: ts.SourceFile, node: ts.Node, site: ClassifiedSite | undefined): SiteRef {
  const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { line: p.line + 1, column: p.character + 1, form: site?.form ?? 'import', specifier: site?.specifier ?? '' };
}

function refusedSite(sf: ts.SourceFile, node: ts.Node, site: ClassifiedSite | undefined, reason: string): RefusedSite {
  return { ...siteRefOf(sf, node, site), reason };
}

function siteStatement(sf: ts.SourceFile, site: ClassifiedSite): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end < site.nodeEnd || node.pos > site.nodeStart) return;
    if (node.getStart(sf) === site.nodeStart && node.end === site.nodeEnd) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The binding a call (`require()`, `await import()`) is stored in: a name or a destructuring. */
function boundTo(call: ts.Node): ts.VariableDeclaration | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)))
    node = node.parent;
  return ts.isVariableDeclaration(node.parent) && node.parent.initializer === node ? node.parent : undefined;
}

const MOVING_FORMS: ReadonlySet<ImportForm> = new Set(['mock', 'side-effect', 'import-type-query']);

function planFile(mctx: MigrationContext, sf: ts.SourceFile, s: FileState, env: CompatEnv | string): void {
  const refused: RefusedSite[] = [];
  const base = { file: s.file, rewritten: [] as SiteRef[], notes: [] as string[] };
  if (typeof env === 'string' || s.frozen !== undefined) {
    const reason = typeof env === 'string' ? env : s.frozen!;
    s.result = {
      ...base,
      status: 'unchanged',
      refused: s.compatSites.map((site) => refusedSite(sf, sf, site, reason)),
    };
    return;
  }
  const quote = s.compatSites[0]!.quote === '"' ? '"' : "'";
  const fileEnv: CompatEnv = { ...env, quote };
  const checker = env.checker;

  // The compat sites and what they bind.
  const bound: SiteBindings[] = [];
  const namespaceLike: { site: ClassifiedSite; binding: ts.Symbol; statement: ts.Node }[] = [];
  const moving: ClassifiedSite[] = [];
  // import('<compat>').X moves only when its X is rewritten (else X is not in the canonical module).
  const typeQueries: ClassifiedSite[] = [];
  const bindings = new Set<ts.Symbol>();
  for (const site of s.compatSites) {
    const node = siteStatement(sf, site);
    if (!node) {
      refused.push(refusedSite(sf, sf, site, 'cannot find the import site'));
      continue;
    }
    if (MOVING_FORMS.has(site.form)) {
      if (site.form === 'import-type-query') typeQueries.push(site);
      else moving.push(site);
    } else if (site.form === 'import' || site.form === 'import-type') {
      const clause = (node as ts.ImportDeclaration).importClause;
      const named = clause?.namedBindings;
      if (clause?.name)
        refused.push(refusedSite(sf, node, site, 'a default import of the compat layer (it has no default export)'));
      else if (named && ts.isNamespaceImport(named)) {
        const symbol = checker.getSymbolAtLocation(named.name);
        if (symbol) namespaceLike.push({ site, binding: symbol, statement: node });
      } else if (named) {
        const elements = named.elements.map((e) => ({
          node: e as ts.Node,
          symbol: checker.getSymbolAtLocation(e.name),
        }));
        bound.push({ site, statement: node as ts.Statement, kind: 'named', elements });
      }
    } else if (site.form === 'import-equals') {
      const symbol = checker.getSymbolAtLocation((node as ts.ImportEqualsDeclaration).name);
      if (symbol) namespaceLike.push({ site, binding: symbol, statement: node });
    } else if (site.form === 'require' || site.form === 'dynamic-import') {
      const decl = boundTo(node);
      if (decl && ts.isIdentifier(decl.name)) {
        const symbol = checker.getSymbolAtLocation(decl.name);
        if (symbol) namespaceLike.push({ site, binding: symbol, statement: node });
      } else if (
        decl &&
        ts.isObjectBindingPattern(decl.name) &&
        ts.isVariableDeclarationList(decl.parent) &&
        ts.isVariableStatement(decl.parent.parent) &&
        decl.parent.declarations.length === 1 &&
        !decl.name.elements.some((e) => e.dotDotDotToken || e.propertyName)
      ) {
        const elements = decl.name.elements.map((e) => ({
          node: e as ts.Node,
          symbol: checker.getSymbolAtLocation(e.name),
        }));
        bound.push({ site, statement: decl.parent.parent, kind: 'require-named', elements });
      } else
        refused.push(
          refusedSite(
            sf,
            node,
            site,
            `${site.form}: only a binding (const m = ...) or a plain destructuring is followed`,
          ),
        );
    } else
      refused.push(
        refusedSite(
          sf,
          node,
          site,
          `${site.form} of the compat layer: it re-exports compat names to other modules; move them by hand`,
        ),
      );
  }
  for (const b of bound) for (const e of b.elements) if (e.symbol) bindings.add(e.symbol);
  for (const n of namespaceLike) bindings.add(n.binding);

  // The uses; a namespace-like binding moves only when every use through it does.
  let planner: FilePlanner;
  for (;;) {
    planner = new FilePlanner(sf, fileEnv, s.excluded, bindings);
    planner.plan();
    const stuck = namespaceLike.filter((n) => !allRewritten(planner, n.binding));
    const toExclude = planner.uses.filter(
      (u) => !u.refused && u.binding && stuck.some((n) => n.binding === u.binding) && !s.excluded.has(useKey(sf, u)),
    );
    if (toExclude.length === 0) break;
    for (const u of toExclude)
      s.excluded.set(useKey(sf, u), 'its namespace is used in ways that stay on the compat layer');
  }
  dropOverlaps(planner.uses);
  const done = planner.uses.filter((u) => !u.refused);
  for (const u of planner.uses)
    if (u.refused) refused.push(refusedSite(sf, u.node, siteOf(u, bound, namespaceLike, s.compatSites), u.refused));
  for (const n of namespaceLike) if (allRewritten(planner, n.binding)) moving.push(n.site);
  for (const q of typeQueries) {
    const inside = (u: Use) => u.node.getStart(sf) >= q.nodeStart && u.node.end <= q.nodeEnd;
    if (done.some(inside) && !planner.uses.some((u) => u.refused && inside(u))) moving.push(q);
  }

  // Names the rewrite spells, and where they come from.
  const needs = new Map<string, boolean>();
  for (const u of done) for (const [name, value] of u.needs) needs.set(name, value || (needs.get(name) ?? false));
  const gone = (symbol: ts.Symbol | undefined) => symbol !== undefined && allRewritten(planner, symbol);
  const conflict = [...needs.keys()].find((name) => localNameTaken(checker, sf, name, env, gone));
  if (conflict) {
    s.result = {
      ...base,
      status: 'unchanged',
      refused: [
        ...refused,
        ...done.map((u) =>
          refusedSite(
            sf,
            u.node,
            siteOf(u, bound, namespaceLike, s.compatSites),
            `the file already has a ${conflict} of its own`,
          ),
        ),
      ],
    };
    return;
  }
  const target = {
    module: s.concept.canonical.path ?? s.concept.canonical.module,
    isPath: Boolean(s.concept.canonical.path),
  };
  const spec = specifierFor(mctx.ctx, s.compatSites[0]!, target, s.analysis.sites);
  if ('error' in spec) {
    s.result = {
      ...base,
      status: 'unchanged',
      refused: [...refused, refusedSite(sf, sf, s.compatSites[0], spec.error)],
    };
    return;
  }
  const existingCanonical = s.analysis.sites
    .filter(
      (x) =>
        x.form === 'import' &&
        x.target.kind === 'canonical' &&
        !x.target.compat &&
        x.names.length > 0 &&
        !x.names.some((n) => n.imported === '*'),
    )
    .map((x) => siteStatement(sf, x))
    .find((n): n is ts.ImportDeclaration => n !== undefined && ts.isImportDeclaration(n));
  const importEdits = planImports({
    sf,
    sites: bound,
    moveSpecifier: moving,
    gone,
    needs,
    canonicalSpecifier: spec.specifier,
    ...(existingCanonical ? { existingCanonical } : {}),
    quote,
    eol: s.text.includes('\r\n') ? '\r\n' : '\n',
  });
  const edits = [...done.flatMap((u) => u.edits), ...importEdits];
  const notes = done.flatMap((u) => u.notes);
  s.useRanges = done.map((u) => ({ start: u.node.getStart(sf), end: u.node.end }));
  s.edits = edits;
  let output: string;
  try {
    output = applyEdits(s.text, edits);
  } catch (error) {
    s.result = { ...base, status: 'failed', refused, error: `internal: ${(error as Error).message}` };
    return;
  }
  s.result =
    output === s.text
      ? { ...base, status: 'unchanged', refused, notes }
      : {
          ...base,
          status: 'changed',
          output,
          rewritten: done.map((u) => siteRefOf(sf, u.node, siteOf(u, bound, namespaceLike, s.compatSites))),
          refused,
          notes,
        };
}

function useKey(sf: ts.SourceFile, u: Use): string {
  return `${u.node.getStart(sf)}-${u.node.end}`;
}

function allRewritten(planner: FilePlanner, binding: ts.Symbol): boolean {
  const refs = planner.references.get(binding) ?? [];
  const rewritten = new Set(planner.uses.filter((u) => !u.refused).flatMap((u) => u.refIds));
  return refs.every((r) => rewritten.has(r));
}

function siteOf(
  u: Use,
  bound: SiteBindings[],
  namespaceLike: { site: ClassifiedSite; binding: ts.Symbol }[],
  sites: readonly ClassifiedSite[],
): ClassifiedSite | undefined {
  if (!u.binding) {
    // import('<compat>').X: the site is the import type that holds the use.
    const holder = sites.find((x) => u.node.pos >= x.nodeStart && u.node.end <= x.nodeEnd);
    return holder ?? bound[0]?.site ?? namespaceLike[0]?.site;
  }
  return (
    bound.find((b) => b.elements.some((e) => e.symbol === u.binding))?.site ??
    namespaceLike.find((n) => n.binding === u.binding)?.site
  );
}

/** A use whose edits would overlap another's (a compat call inside a replaced expression) is refused. */
function dropOverlaps(uses: Use[]): void {
  const live = uses.filter((u) => !u.refused && u.edits.length > 0);
  for (const a of live) {
    for (const b of live) {
      if (a === b || a.refused || b.refused) continue;
      const overlap = a.edits.some((x) => b.edits.some((y) => x.start < y.end && y.start < x.end));
      if (!overlap) continue;
      const span = (u: Use) => Math.max(...u.edits.map((e) => e.end)) - Math.min(...u.edits.map((e) => e.start));
      const outer = span(a) >= span(b) ? a : b;
      outer.refused = 'it encloses another use of the compat layer: rewrite the inner one first (run stage 2 again)';
      outer.edits = [];
    }
  }
}

/**
 * True when `name` is already declared in the file by something else than an import of the canonical
 * module (reused) or a compat import the rewrite removes (the name is free once it goes).
 */
function localNameTaken(
  checker: ts.TypeChecker,
  sf: ts.SourceFile,
  name: string,
  env: CompatEnv,
  gone: (symbol: ts.Symbol) => boolean,
): boolean {
  const symbols = checker.getSymbolsInScope(sf, ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Alias);
  const found = symbols.find((x) => x.name === name);
  if (!found) return false;
  const decl = found.declarations?.[0];
  if (!decl || decl.getSourceFile() !== sf) return false;
  if (ts.isImportSpecifier(decl) || ts.isBindingElement(decl))
    return !env.canonicalExports.has(checker.getAliasedSymbol(found)) && !gone(found);
  return true;
}
