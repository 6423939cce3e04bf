import * as path from 'node:path';
import ts from '../typescript.cjs';
import type { AnalysisContext } from '../analyze.js';
import type { ResolvedConcept, ResolvedLegacyModule } from '../config/types.js';
import { mapLegacyName, migrationTarget, type MappedName } from '../mapping.js';
import { parseFile } from '../parse.js';
import { holdsOffset, wordOffsets } from '../text-offsets.js';
import { stripExtension } from '../resolve.js';
import type { ClassifiedSite, FileAnalysis, ImportedName, TextEdit } from '../types.js';
import { listExports } from './exports.js';
import { planLocalRename } from './rename.js';
import { specifierFor } from './specifier.js';

/**
 * The rewrite planner shared by `ssot migrate`, the jscodeshift transform and the ESLint autofix.
 * It takes every decision from the core (which sites are legacy: `ClassifiedSite.target`; what a
 * name maps to: `mapLegacyName`; where legacy code moves: `migrationTarget`; how to spell the
 * target: the core's `ModuleResolver`) and yields text edits by offsets into the original text,
 * so untouched text stays byte-exact (comments, blank lines, CRLF, BOM).
 */

export interface SiteRewrite {
  site: ClassifiedSite;
  edits: TextEdit[];
  safe: boolean;
  reason?: string;
}

export interface PlanOptions {
  /**
   * Rename local references (scope-aware) when a legacy name maps to a different canonical name
   * and was imported under its own name. Default: alias (`import { Canonical as Legacy }`).
   */
  rename?: boolean;
  /** Only rewrite sites of these concept ids (default: every concept). */
  concepts?: readonly string[];
  /** A parse of `text` to reuse. */
  sourceFile?: ts.SourceFile;
}

export interface FilePlan {
  edits: TextEdit[];
  /** Legacy sites the plan moves (wholly, or the concept names of a split import). */
  rewritten: ClassifiedSite[];
  /** Legacy sites the plan leaves although they hold concept names, with the reason. */
  refused: { site: ClassifiedSite; reason: string }[];
  /** Legacy sites that stay because none of their names is part of the concept. */
  kept: ClassifiedSite[];
  /** Remarks that do not block the rewrite (e.g. `--rename` fell back to an alias). */
  notes: string[];
  /** The module specifiers the edits write (for the self-import check of `verifyRewrite`). */
  specifiers: string[];
}

// ---- edits -----------------------------------------------------------------------------------

/** Applies non-overlapping edits (offsets into `text`); zero-width inserts keep their order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos || e.end < e.start || e.end > text.length) {
      throw new Error(`overlapping or out-of-range edit at ${e.start}..${e.end}`);
    }
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}

function lineStart(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

function indentAt(text: string, pos: number): string {
  const ls = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(ls, pos))?.[0] ?? '';
}

/** Removes a statement; when it is alone on its line(s), the whole line goes with it. */
function removeStatement(text: string, start: number, end: number): TextEdit {
  const ls = lineStart(text, start);
  const before = text.slice(ls, start);
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  if (/^[ \t]*$/.test(before)) {
    if (text.startsWith('\r\n', e)) return { start: ls, end: e + 2, text: '' };
    if (text[e] === '\n') return { start: ls, end: e + 1, text: '' };
    if (e === text.length) return { start: ls, end: e, text: '' };
  }
  return { start, end: e, text: '' };
}

/** Removes some elements of a comma list, keeping the others and their separators. */
function removeListElements(elements: readonly { start: number; end: number }[], remove: ReadonlySet<number>): TextEdit[] {
  const edits: TextEdit[] = [];
  let i = 0;
  while (i < elements.length) {
    if (!remove.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < elements.length && remove.has(j + 1)) j++;
    const next = elements[j + 1];
    const prev = elements[i - 1];
    if (next) edits.push({ start: elements[i]!.start, end: next.start, text: '' });
    else if (prev) edits.push({ start: prev.end, end: elements[j]!.end, text: '' });
    i = j + 1;
  }
  return edits;
}

function findNode<T extends ts.Node>(sf: ts.SourceFile, start: number, end: number, is: (n: ts.Node) => n is T): T | undefined {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end < end || node.pos > start) return;
    if (node.getStart(sf) === start && node.end === end && is(node)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

// ---- planning --------------------------------------------------------------------------------

interface Moved {
  name: ImportedName;
  mapped: MappedName;
  /** The local name after the rewrite (differs from name.local only with --rename). */
  local: string;
}

interface Ctx {
  ctx: AnalysisContext;
  analysis: FileAnalysis;
  text: string;
  sf: ts.SourceFile;
  eol: string;
  options: PlanOptions;
  edits: TextEdit[];
  rewritten: ClassifiedSite[];
  refused: { site: ClassifiedSite; reason: string }[];
  kept: ClassifiedSite[];
  notes: string[];
  /** Edits per site, for planSiteRewrite. */
  bySite: Map<ClassifiedSite, TextEdit[]>;
  specifiers: Set<string>;
}

interface Legacy {
  concept: ResolvedConcept;
  legacy: ResolvedLegacyModule;
  target: { module: string; isPath: boolean };
  specifier: string;
}

function conceptOf(c: Ctx, site: ClassifiedSite): { concept: ResolvedConcept; legacy: ResolvedLegacyModule } | undefined {
  if (site.target.kind !== 'legacy') return undefined;
  const t = site.target;
  const concept = c.ctx.config.concepts.find((x) => x.id === t.conceptId);
  const legacy = concept?.legacy[t.legacyIndex];
  return concept && legacy ? { concept, legacy } : undefined;
}

function refuse(c: Ctx, site: ClassifiedSite, reason: string): void {
  c.refused.push({ site, reason });
}

function push(c: Ctx, site: ClassifiedSite, ...edits: TextEdit[]): void {
  c.edits.push(...edits);
  const list = c.bySite.get(site) ?? [];
  list.push(...edits);
  c.bySite.set(site, list);
}

function specifierEdit(site: ClassifiedSite, specifier: string): TextEdit {
  return { start: site.specifierStart + 1, end: site.specifierEnd - 1, text: specifier };
}

function quoteOf(site: ClassifiedSite): string {
  return site.quote === '`' ? "'" : site.quote;
}

function describe(concept: ResolvedConcept): string {
  return `concept "${concept.id}"`;
}

/** Element text for an import/export specifier: `[type ]Imported[ as Local]`. */
function elementText(imported: string, local: string, typePrefix: boolean): string {
  return `${typePrefix ? 'type ' : ''}${imported === local ? imported : `${imported} as ${local}`}`;
}

/** Plans the edits for a set of sites of one file. */
function planSites(c: Ctx, selected: readonly ClassifiedSite[]): void {
  const legacyInfo = new Map<ClassifiedSite, Legacy>();
  const siblings = c.analysis.sites;
  for (const site of selected) {
    const cl = conceptOf(c, site);
    if (!cl) continue;
    const target = migrationTarget(cl.concept);
    const spec = specifierFor(c.ctx, site, target, siblings);
    if ('error' in spec) {
      refuse(c, site, spec.error);
      continue;
    }
    legacyInfo.set(site, { ...cl, target, specifier: spec.specifier });
  }

  const namedImports: ClassifiedSite[] = [];
  for (const [site, info] of legacyInfo) {
    switch (site.form) {
      case 'import':
      case 'import-type':
        if (site.names.some((n) => n.imported === '*')) planNamespaceImport(c, site, info);
        else namedImports.push(site);
        break;
      case 'export-from':
        planExportFrom(c, site, info);
        break;
      case 'export-all':
      case 'export-all-as':
        planWholeModule(c, site, info, true);
        break;
      case 'side-effect':
      case 'mock':
        planWholeModule(c, site, info, false);
        break;
      case 'import-equals':
        planImportEquals(c, site, info);
        break;
      case 'require':
        planRequire(c, site, info);
        break;
      case 'dynamic-import':
        planDynamicImport(c, site, info);
        break;
      case 'import-type-query':
        planImportTypeQuery(c, site, info);
        break;
    }
  }
  planNamedImports(c, namedImports, legacyInfo);
  for (const site of c.rewritten) {
    const spec = legacyInfo.get(site)?.specifier;
    if (spec !== undefined) c.specifiers.add(spec);
  }
}

// ---- whole-module forms ----------------------------------------------------------------------

/**
 * Whether every reference through the whole module is safe: the mapping allows '*', and, when
 * the module's names cannot be traced in this file (`export *`, an untraced dynamic import, a
 * namespace object used as a value), every export of the legacy module maps to the same name.
 */
function wholeModuleRefusal(c: Ctx, site: ClassifiedSite, info: Legacy, needAllExports: boolean, what: string): string | undefined {
  if (!mapLegacyName(info.concept, info.legacy, '*')) return `${info.legacy.module} cannot be moved as a whole (${describe(info.concept)})`;
  if (!needAllExports) return undefined;
  if (site.target.kind === 'legacy' && site.target.missing) return undefined; // deleted: nothing to list, the mapping decides
  if (site.resolution.kind !== 'file') return undefined;
  const list = listExports(c.ctx, site.resolution.path);
  if ('unknown' in list) return `${what}: cannot list the exports of ${info.legacy.module} (${list.unknown})`;
  const bad: string[] = [];
  for (const name of list.names) {
    if (name === 'default' && (site.form === 'export-all')) continue;
    const m = mapLegacyName(info.concept, info.legacy, name);
    if (!m) bad.push(`${name} (not part of the concept)`);
    else if (m.name !== name) bad.push(`${name} (maps to ${m.name})`);
  }
  if (bad.length > 0) return `${what}: ${info.legacy.module} also exports ${bad.join(', ')}; rewrite by hand or list the names`;
  return undefined;
}

function planWholeModule(c: Ctx, site: ClassifiedSite, info: Legacy, needAllExports: boolean): void {
  const what = site.form === 'export-all' ? 'export *' : site.form === 'export-all-as' ? 'export * as' : site.form;
  const reason = wholeModuleRefusal(c, site, info, needAllExports, what);
  if (reason) return refuse(c, site, reason);
  push(c, site, specifierEdit(site, info.specifier));
  c.rewritten.push(site);
}

/** How a namespace-like binding (`* as ns`, `ns = require()`, `ns = await import()`) is used. */
interface NamespaceUse {
  members: { name: string; start: number; end: number; quoted: boolean }[];
  escapes: number;
  shadowed: boolean;
}

function namespaceUse(sf: ts.SourceFile, binding: ts.Identifier): NamespaceUse {
  const use: NamespaceUse = { members: [], escapes: 0, shadowed: false };
  const name = binding.text;
  // Only subtrees that spell the name (or an escape) can refer to it. Parents are tracked here, not
  // read from the tree: a tree parsed with `parents: 'sites'` has them only near import sites.
  const offsets = wordOffsets(sf.text, [name, '\\u']);
  let parent: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (!holdsOffset(offsets, node.pos, node.end)) return;
    if (ts.isIdentifier(node) && node !== binding && node.text === name) {
      const p = parent;
      if (p && ts.isPropertyAccessExpression(p) && p.expression === node && ts.isIdentifier(p.name)) {
        use.members.push({ name: p.name.text, start: p.name.getStart(sf), end: p.name.end, quoted: false });
      } else if (p && ts.isQualifiedName(p) && p.left === node) {
        use.members.push({ name: p.right.text, start: p.right.getStart(sf), end: p.right.end, quoted: false });
      } else if (p && ts.isElementAccessExpression(p) && p.expression === node && ts.isStringLiteralLike(p.argumentExpression)) {
        const a = p.argumentExpression;
        use.members.push({ name: a.text, start: a.getStart(sf) + 1, end: a.end - 1, quoted: true });
      } else if (p && (ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && !(ts.isPropertyAccessExpression(p) ? p.expression === node : p.left === node)) {
        // `x.ns`: a property that happens to share the name.
      } else if (p && (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === node) {
        // a key named like the binding
      } else if (p && (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === node) {
        use.shadowed = true;
      } else use.escapes++;
    }
    const saved = parent;
    parent = node;
    ts.forEachChild(node, visit);
    parent = saved;
  };
  visit(sf);
  return use;
}

/** Plans a namespace-like whole-module site: every `ns.X` must be part of the concept. */
function planNamespaceBinding(c: Ctx, site: ClassifiedSite, info: Legacy, binding: ts.Identifier, label: string): void {
  const use = namespaceUse(c.sf, binding);
  const refusal = wholeModuleRefusal(c, site, info, use.escapes > 0, `${label} ${binding.text} is used as a whole`);
  if (refusal) return refuse(c, site, refusal);
  const edits: TextEdit[] = [];
  const notPart: string[] = [];
  for (const m of use.members) {
    const mapped = mapLegacyName(info.concept, info.legacy, m.name);
    if (!mapped) {
      if (!notPart.includes(m.name)) notPart.push(m.name);
    } else if (mapped.name !== m.name) edits.push({ start: m.start, end: m.end, text: mapped.name });
  }
  if (notPart.length > 0) {
    return refuse(c, site, `${label} ${binding.text}: ${notPart.map((n) => `${binding.text}.${n}`).join(', ')} ${notPart.length === 1 ? 'is' : 'are'} not part of ${describe(info.concept)}; the module cannot move as a whole`);
  }
  if (edits.length > 0 && use.shadowed) {
    return refuse(c, site, `${label} ${binding.text}: a local of the same name shadows it, and member names would need renaming`);
  }
  push(c, site, specifierEdit(site, info.specifier), ...edits);
  c.rewritten.push(site);
}

function planNamespaceImport(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  if (site.names.length > 1) return refuse(c, site, 'a default import combined with a namespace import: rewrite by hand');
  const decl = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isImportDeclaration);
  const ns = decl?.importClause?.namedBindings;
  if (!ns || !ts.isNamespaceImport(ns)) return refuse(c, site, 'cannot find the namespace import');
  planNamespaceBinding(c, site, info, ns.name, 'namespace import');
}

function planImportEquals(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  const decl = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isImportEqualsDeclaration);
  if (!decl) return refuse(c, site, 'cannot find the import-equals declaration');
  planNamespaceBinding(c, site, info, decl.name, 'import =');
}

// ---- destructured require / dynamic import -----------------------------------------------------

function bindingPatternOf(call: ts.Node): { pattern: ts.ObjectBindingPattern; decl: ts.VariableDeclaration } | { ident: ts.Identifier } | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent))) node = node.parent;
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && p.initializer === node) {
    if (ts.isIdentifier(p.name)) return { ident: p.name };
    if (ts.isObjectBindingPattern(p.name)) return { pattern: p.name, decl: p };
  }
  return undefined;
}

/** `{ a, b: c }`: every element must map; renamed names get `Canonical: local`. Returns the unmapped. */
function planPattern(c: Ctx, info: Legacy, pattern: ts.ObjectBindingPattern): { edits: TextEdit[]; unmapped: number[]; moved: number[]; problem?: string } {
  const edits: TextEdit[] = [];
  const unmapped: number[] = [];
  const moved: number[] = [];
  pattern.elements.forEach((el, i) => {
    if (el.dotDotDotToken) {
      unmapped.push(i);
      return;
    }
    const prop = el.propertyName;
    const imported = prop ? (ts.isIdentifier(prop) || ts.isStringLiteral(prop) ? prop.text : undefined) : ts.isIdentifier(el.name) ? el.name.text : undefined;
    const mapped = imported !== undefined ? mapLegacyName(info.concept, info.legacy, imported) : null;
    if (!mapped || imported === undefined) {
      unmapped.push(i);
      return;
    }
    moved.push(i);
    if (mapped.name === imported) return;
    if (prop) edits.push({ start: prop.getStart(c.sf), end: prop.end, text: mapped.name });
    else edits.push({ start: el.name.getStart(c.sf), end: el.name.end, text: `${mapped.name}: ${imported}` });
  });
  const rest = pattern.elements.some((el) => el.dotDotDotToken);
  return { edits, unmapped, moved, ...(rest ? { problem: 'a rest element (`...rest`) takes every other export' } : {}) };
}

function planRequire(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  const call = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isCallExpression);
  if (!call) return refuse(c, site, 'cannot find the require() call');
  const parent = call.parent;
  // require('x').Name
  if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === call) {
    const mapped = mapLegacyName(info.concept, info.legacy, parent.name.text);
    if (!mapped) return void c.kept.push(site);
    const edits = [specifierEdit(site, info.specifier)];
    if (mapped.name !== parent.name.text) edits.push({ start: parent.name.getStart(c.sf), end: parent.name.end, text: mapped.name });
    push(c, site, ...edits);
    c.rewritten.push(site);
    return;
  }
  const binding = bindingPatternOf(call);
  if (binding && 'ident' in binding) return planNamespaceBinding(c, site, info, binding.ident, 'require binding');
  if (!binding) return planWholeModule(c, site, info, !(parent && ts.isExpressionStatement(parent)));
  const { edits, unmapped, moved, problem } = planPattern(c, info, binding.pattern);
  if (moved.length === 0) return void c.kept.push(site);
  if (problem) return refuse(c, site, problem);
  if (unmapped.length === 0) {
    push(c, site, specifierEdit(site, info.specifier), ...edits);
    c.rewritten.push(site);
    return;
  }
  // Split: the concept names move to a new `const { .. } = require('<target>')` after the statement.
  const list = binding.decl.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(statement)) {
    return refuse(c, site, 'a require() split needs the destructuring in a statement of its own');
  }
  const keyword = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
  const elements = binding.pattern.elements.map((el) => ({ start: el.getStart(c.sf), end: el.end }));
  const movedTexts = moved.map((i) => {
    const el = binding.pattern.elements[i]!;
    const original = c.text.slice(el.getStart(c.sf), el.end);
    const own = edits.find((e) => e.start >= el.getStart(c.sf) && e.end <= el.end);
    if (!own) return original;
    return original.slice(0, own.start - el.getStart(c.sf)) + own.text + original.slice(own.end - el.getStart(c.sf));
  });
  const semi = c.text.slice(statement.getStart(c.sf), statement.end).trimEnd().endsWith(';') ? ';' : '';
  const q = quoteOf(site);
  const insert = `${c.eol}${indentAt(c.text, statement.getStart(c.sf))}${keyword} { ${movedTexts.join(', ')} } = require(${q}${info.specifier}${q})${semi}`;
  push(c, site, ...removeListElements(elements, new Set(moved)), { start: statement.end, end: statement.end, text: insert });
  c.rewritten.push(site);
}

function planDynamicImport(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  const call = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isCallExpression);
  if (!call) return refuse(c, site, 'cannot find the import() call');
  const binding = bindingPatternOf(call);
  if (binding && 'ident' in binding) return planNamespaceBinding(c, site, info, binding.ident, 'import() binding');
  if (binding) {
    const { edits, unmapped, moved, problem } = planPattern(c, info, binding.pattern);
    if (moved.length === 0) return void c.kept.push(site);
    if (problem) return refuse(c, site, problem);
    if (unmapped.length > 0) return refuse(c, site, 'import() destructures names that are not part of the concept; a dynamic import cannot be split');
    push(c, site, specifierEdit(site, info.specifier), ...edits);
    c.rewritten.push(site);
    return;
  }
  planWholeModule(c, site, info, true);
}

function planImportTypeQuery(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  const first = site.names[0];
  if (!first) return planWholeModule(c, site, info, true);
  const mapped = mapLegacyName(info.concept, info.legacy, first.imported);
  if (!mapped) return void c.kept.push(site);
  const edits = [specifierEdit(site, info.specifier)];
  if (mapped.name !== first.imported) edits.push({ start: first.start, end: first.end, text: mapped.name });
  push(c, site, ...edits);
  c.rewritten.push(site);
}

// ---- export { .. } from ------------------------------------------------------------------------

function planExportFrom(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  const decl = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isExportDeclaration);
  const clause = decl?.exportClause;
  if (!decl || !clause || !ts.isNamedExports(clause)) return refuse(c, site, 'cannot find the export declaration');
  const moved: { i: number; mapped: MappedName }[] = [];
  site.names.forEach((n, i) => {
    const mapped = mapLegacyName(info.concept, info.legacy, n.imported);
    if (mapped) moved.push({ i, mapped });
  });
  if (moved.length === 0) return void c.kept.push(site);
  const textOf = (i: number, mapped: MappedName): string => {
    const n = site.names[i]!;
    const prefix = /^type\s/.test(c.text.slice(n.start, n.end)) ;
    return elementText(mapped.name, n.local, prefix);
  };
  if (moved.length === site.names.length) {
    const edits = [specifierEdit(site, info.specifier)];
    for (const { i, mapped } of moved) {
      const n = site.names[i]!;
      if (mapped.name !== n.imported) edits.push({ start: n.start, end: n.end, text: textOf(i, mapped) });
    }
    push(c, site, ...edits);
    c.rewritten.push(site);
    return;
  }
  const semi = c.text.slice(site.nodeStart, site.nodeEnd).trimEnd().endsWith(';') ? ';' : '';
  const q = quoteOf(site);
  const insert = `${c.eol}${indentAt(c.text, site.nodeStart)}export ${site.typeOnly ? 'type ' : ''}{ ${moved.map(({ i, mapped }) => textOf(i, mapped)).join(', ')} } from ${q}${info.specifier}${q}${semi}`;
  push(c, site, ...removeListElements(site.names, new Set(moved.map((m) => m.i))), { start: site.nodeEnd, end: site.nodeEnd, text: insert });
  c.rewritten.push(site);
}

// ---- named and default imports -------------------------------------------------------------------

interface NamedPlan {
  site: ClassifiedSite;
  info: Legacy;
  decl: ts.ImportDeclaration;
  moved: Moved[];
  keptIdx: number[];
  movedIdx: number[];
}

function sameTarget(site: ClassifiedSite, target: { module: string; isPath: boolean }): boolean {
  if (!target.isPath) return site.specifier === target.module;
  return site.resolution.kind === 'file' && stripExtension(path.normalize(site.resolution.path)) === stripExtension(path.normalize(target.module));
}

/** Local name after the rewrite: the canonical name with --rename when that is safe, else the old one. */
function localFor(c: Ctx, plan: { decl: ts.ImportDeclaration }, name: ImportedName, mapped: MappedName, renames: TextEdit[]): string {
  if (!c.options.rename || name.imported === 'default' || name.local !== name.imported || mapped.name === name.local || mapped.name === 'default') return name.local;
  const named = plan.decl.importClause?.namedBindings;
  const spec = named && ts.isNamedImports(named) ? named.elements.find((e) => e.getStart(c.sf) === name.start) : undefined;
  if (!spec) return name.local;
  const result = planLocalRename(c.sf, spec.name, mapped.name);
  if ('conflict' in result) {
    c.notes.push(`kept ${name.local} as an alias of ${mapped.name}: ${result.conflict}`);
    return name.local;
  }
  renames.push(...result.edits);
  return mapped.name;
}

function planNamedImports(c: Ctx, sites: readonly ClassifiedSite[], infos: Map<ClassifiedSite, Legacy>): void {
  const plans: NamedPlan[] = [];
  for (const site of sites) {
    const info = infos.get(site)!;
    const decl = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isImportDeclaration);
    if (!decl || !decl.importClause) {
      refuse(c, site, 'cannot find the import declaration');
      continue;
    }
    const moved: Moved[] = [];
    const keptIdx: number[] = [];
    const movedIdx: number[] = [];
    const renameEdits: TextEdit[] = [];
    site.names.forEach((name, i) => {
      const mapped = mapLegacyName(info.concept, info.legacy, name.imported);
      if (!mapped) keptIdx.push(i);
      else {
        movedIdx.push(i);
        moved.push({ name, mapped, local: localFor(c, { decl }, name, mapped, renameEdits) });
      }
    });
    if (moved.length === 0) {
      c.kept.push(site);
      continue;
    }
    push(c, site, ...renameEdits);
    plans.push({ site, info, decl, moved, keptIdx, movedIdx });
  }

  // One target module at a time: all its names end up in one import.
  const byTarget = new Map<string, NamedPlan[]>();
  for (const p of plans) {
    const key = p.info.target.module;
    byTarget.set(key, [...(byTarget.get(key) ?? []), p]);
  }
  for (const group of byTarget.values()) planTargetGroup(c, group);
}

function isTopLevel(node: ts.Node): boolean {
  return Boolean(node.parent && ts.isSourceFile(node.parent));
}

function planTargetGroup(c: Ctx, group: NamedPlan[]): void {
  const first = group[0]!;
  const target = first.info.target;
  const allMovedTypeOnly = group.every((p) => p.moved.every((m) => m.name.isTypeOnly));
  const full = (p: NamedPlan) => p.keptIdx.length === 0;
  const hasDefaultRemap = (p: NamedPlan) => p.moved.some((m) => m.name.imported === 'default' && m.mapped.name !== 'default');

  // 1. An existing import of the target is extended, never duplicated.
  let existing: { site: ClassifiedSite; decl: ts.ImportDeclaration } | undefined;
  for (const s of c.analysis.sites) {
    if ((s.form !== 'import' && s.form !== 'import-type') || s.target.kind === 'legacy' || !sameTarget(s, target)) continue;
    if (s.names.length === 0 || s.names.some((n) => n.imported === '*')) continue;
    if (s.typeOnly && !allMovedTypeOnly) continue;
    const decl = findNode(c.sf, s.nodeStart, s.nodeEnd, ts.isImportDeclaration);
    if (!decl || !isTopLevel(decl) || !group.every((p) => isTopLevel(p.decl))) continue;
    if (!existing || (existing.site.typeOnly && !s.typeOnly)) existing = { site: s, decl };
  }

  // 2. Else the first legacy import that moves wholly becomes the import of the target.
  let hostPlan: NamedPlan | undefined;
  if (!existing) {
    hostPlan = group.find((p) => full(p) && !hasDefaultRemap(p) && (!p.site.typeOnly || allMovedTypeOnly) && isTopLevel(p.decl)) ??
      group.find((p) => full(p) && !hasDefaultRemap(p) && (!p.site.typeOnly || allMovedTypeOnly));
    if (hostPlan && !group.every((p) => p === hostPlan || isTopLevel(p.decl) === isTopLevel(hostPlan!.decl))) hostPlan = undefined;
  }

  const hostTypeOnly = existing ? existing.site.typeOnly : hostPlan ? hostPlan.site.typeOnly : allMovedTypeOnly;
  const additions: string[] = [];
  const seen = new Set<string>();
  if (existing) for (const n of existing.site.names) seen.add(`${n.imported}\0${n.local}`);
  if (hostPlan) for (const m of hostPlan.moved) seen.add(`${m.mapped.name}\0${m.local}`);
  const add = (m: Moved): void => {
    const key = `${m.mapped.name}\0${m.local}`;
    if (seen.has(key)) return;
    seen.add(key);
    additions.push(elementText(m.mapped.name, m.local, m.name.isTypeOnly && !hostTypeOnly));
  };

  let anchorReplaced: NamedPlan | undefined;
  for (const p of group) {
    if (p === hostPlan) {
      // Wholly moved in place: new specifier, renamed elements rewritten where they stand.
      const edits: TextEdit[] = [specifierEdit(p.site, p.info.specifier)];
      for (const m of p.moved) {
        if (m.mapped.name === m.name.imported && m.local === m.name.local) continue;
        const inline = !p.site.typeOnly && /^type\s/.test(c.text.slice(m.name.start, m.name.end));
        edits.push({ start: m.name.start, end: m.name.end, text: elementText(m.mapped.name, m.local, inline) });
      }
      push(c, p.site, ...edits);
      c.rewritten.push(p.site);
      continue;
    }
    for (const m of p.moved) add(m);
    c.rewritten.push(p.site);
    if (full(p)) {
      if (!existing && !hostPlan && !anchorReplaced) {
        anchorReplaced = p; // becomes the new import statement below
        continue;
      }
      push(c, p.site, removeStatement(c.text, p.site.nodeStart, p.site.nodeEnd));
    } else push(c, p.site, ...removeNamedElements(c, p));
  }

  const owner = hostPlan ?? anchorReplaced ?? first;
  if (existing) {
    if (additions.length > 0) push(c, owner.site, insertIntoImport(c, existing.decl, additions));
  } else if (hostPlan) {
    if (additions.length > 0) push(c, hostPlan.site, insertIntoImport(c, hostPlan.decl, additions));
  } else if (additions.length > 0) {
    const anchor = anchorReplaced ?? first;
    const q = quoteOf(anchor.site);
    const stmtText = c.text.slice(anchor.site.nodeStart, anchor.site.nodeEnd);
    const semi = stmtText.trimEnd().endsWith(';') ? ';' : '';
    const statement = `import ${hostTypeOnly ? 'type ' : ''}{ ${additions.join(', ')} } from ${q}${anchor.info.specifier}${q}${semi}`;
    if (anchorReplaced) push(c, anchor.site, { start: anchor.site.nodeStart, end: anchor.site.nodeEnd, text: statement });
    else push(c, anchor.site, { start: anchor.site.nodeEnd, end: anchor.site.nodeEnd, text: `${c.eol}${indentAt(c.text, anchor.site.nodeStart)}${statement}` });
  } else if (anchorReplaced) {
    // Every name was already imported from the target: the legacy import just goes.
    push(c, anchorReplaced.site, removeStatement(c.text, anchorReplaced.site.nodeStart, anchorReplaced.site.nodeEnd));
  }
}

/** Removes the moved names of a split import; the names that are not part of the concept stay. */
function removeNamedElements(c: Ctx, p: NamedPlan): TextEdit[] {
  const clause = p.decl.importClause!;
  const named = clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
  const removed = new Set(p.movedIdx);
  const hasDefault = Boolean(clause.name);
  const defaultRemoved = hasDefault && removed.has(0);
  const elements = named ? named.elements.map((e) => ({ start: e.getStart(c.sf), end: e.end })) : [];
  const offset = hasDefault ? 1 : 0;
  const namedRemoved = new Set([...removed].filter((i) => i >= offset).map((i) => i - offset));
  const edits: TextEdit[] = [];
  if (defaultRemoved && clause.name) {
    // `D, { a }` -> `{ a }`
    edits.push({ start: clause.name.getStart(c.sf), end: named ? named.getStart(c.sf) : clause.name.end, text: '' });
  }
  if (named && elements.length > 0 && namedRemoved.size === elements.length) {
    // `D, { a, b }` -> `D`
    edits.push({ start: clause.name ? clause.name.end : named.getStart(c.sf), end: named.end, text: '' });
  } else edits.push(...removeListElements(elements, namedRemoved));
  return edits;
}

/** Adds element texts to an import declaration of the target (after its last named element). */
function insertIntoImport(c: Ctx, decl: ts.ImportDeclaration, additions: string[]): TextEdit {
  const clause = decl.importClause!;
  const named = clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
  if (!named) return { start: clause.name!.end, end: clause.name!.end, text: `, { ${additions.join(', ')} }` };
  const last = named.elements[named.elements.length - 1];
  if (!last) return { start: named.getStart(c.sf), end: named.end, text: `{ ${additions.join(', ')} }` };
  const multiline = c.text.slice(named.getStart(c.sf), named.end).includes('\n');
  if (multiline) {
    const indent = indentAt(c.text, last.getStart(c.sf));
    return { start: last.end, end: last.end, text: additions.map((a) => `,${c.eol}${indent}${a}`).join('') };
  }
  return { start: last.end, end: last.end, text: additions.map((a) => `, ${a}`).join('') };
}

// ---- API -------------------------------------------------------------------------------------------

function makeCtx(ctx: AnalysisContext, analysis: FileAnalysis, text: string, options: PlanOptions): Ctx {
  const sf = options.sourceFile ?? parseFile(analysis.file, text).sourceFile;
  return {
    ctx,
    analysis,
    text,
    sf,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    options,
    edits: [],
    rewritten: [],
    refused: [],
    kept: [],
    notes: [],
    bySite: new Map(),
    specifiers: new Set(),
  };
}

function selectedSites(analysis: FileAnalysis, options: PlanOptions): ClassifiedSite[] {
  // Sites inside a legacy module itself (`internal`) go with the module: never rewritten.
  return analysis.sites.filter((s) => s.target.kind === 'legacy' && !s.target.internal && (!options.concepts || options.concepts.includes(s.target.conceptId)));
}

/**
 * Plans the rewrite of every legacy site of a file. Edits are offsets into `text` and do not
 * overlap; `applyEdits(text, plan.edits)` is the new text.
 */
export function planFileRewrite(ctx: AnalysisContext, analysis: FileAnalysis, text: string, options: PlanOptions = {}): FilePlan {
  const c = makeCtx(ctx, analysis, text, options);
  const sites = selectedSites(analysis, options);
  if (sites.length > 0) planSites(c, sites);
  return { edits: c.edits, rewritten: c.rewritten, refused: c.refused, kept: c.kept, notes: c.notes, specifiers: [...c.specifiers] };
}

/**
 * Plans the rewrite of one site (the ESLint autofix): the same decisions as the file plan,
 * restricted to the edits this site needs (extending an existing import of the target included).
 */
export function planSiteRewrite(ctx: AnalysisContext, analysis: FileAnalysis, site: ClassifiedSite, text: string, options: PlanOptions = {}): SiteRewrite {
  const c = makeCtx(ctx, analysis, text, options);
  if (site.target.kind !== 'legacy') return { site, edits: [], safe: false, reason: 'not a legacy site' };
  if (site.target.internal) return { site, edits: [], safe: false, reason: 'the importing file is itself a legacy module: the site goes with the module' };
  planSites(c, [site]);
  const refused = c.refused.find((r) => r.site === site);
  if (refused) return { site, edits: [], safe: false, reason: refused.reason };
  if (c.kept.includes(site)) return { site, edits: [], safe: false, reason: 'no name of this import is part of the concept' };
  return { site, edits: c.edits, safe: c.edits.length > 0, ...(c.edits.length === 0 ? { reason: 'nothing to change' } : {}) };
}
