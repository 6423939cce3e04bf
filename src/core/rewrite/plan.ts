import * as path from 'node:path';
import ts from '../typescript.cjs';
import type { AnalysisContext } from '../analyze.js';
import { mapLegacyName, noCounterpartReason, siteMigrationTarget, type MappedName } from '../mapping.js';
import { parseFile } from '../parse.js';
import type { ClassifiedSite, FileAnalysis, TextEdit } from '../types.js';
import {
  elementText,
  instanceRefusal,
  mapImported,
  push,
  quoteOf,
  refuse,
  refuseNoCounterpart,
  specifierEdit,
  type Ctx,
  type Legacy,
  type PlanOptions,
} from './context.js';
import { findNode, insertAfterStatement, removeListElements, semicolonOf } from './edits.js';
import { planNamedImports } from './named.js';
import { planNamespaceBinding } from './namespace.js';
import { specifierFor } from './specifier.js';
import { planWholeModule } from './whole-module.js';

export { applyEdits } from './edits.js';
export type { PlanOptions } from './context.js';

/**
 * The rewrite planner shared by `ssot migrate`, the jscodeshift transform and the ESLint autofix.
 * It takes every decision from the core (which sites are legacy: `ClassifiedSite.target`; what a
 * name maps to: `mapLegacyName`; where legacy code moves: `siteMigrationTarget`; how to spell the
 * target: the core's `ModuleResolver`) and yields text edits by offsets into the original text,
 * so untouched text stays byte-exact (comments, blank lines, CRLF, BOM).
 *
 * The rule of least change (docs/codemods.md): an import that moves whole keeps its statement and
 * only its specifier changes; a new statement appears only where an import must be split, in the
 * original's form, right after it. Merging into imports of the target is `mergeImports`.
 */

/**
 * What the planner decided for one site, as a code adapters branch on (`reason` is for people):
 * `rewrite` (edits follow), `not-legacy`, `internal` (the importing file is a legacy module),
 * `non-concept` (no name of the site is part of the concept), `refused` (with the reason),
 * `no-counterpart` (refused: it takes an exported instance of a legacy class, which the target has
 * no name for; nothing to suggest but migrating by hand), `nothing-to-change`.
 */
export type SiteDecision =
  'rewrite' | 'not-legacy' | 'internal' | 'non-concept' | 'refused' | 'no-counterpart' | 'nothing-to-change';

export interface SiteRewrite {
  site: ClassifiedSite;
  edits: TextEdit[];
  safe: boolean;
  decision: SiteDecision;
  reason?: string;
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

function conceptOf(c: Ctx, site: ClassifiedSite): Pick<Legacy, 'concept' | 'legacy'> | undefined {
  if (site.target.kind !== 'legacy') return undefined;
  const t = site.target;
  const concept = c.ctx.config.concepts.find((x) => x.id === t.conceptId);
  const legacy = concept?.legacy[t.legacyIndex];
  return concept && legacy ? { concept, legacy } : undefined;
}

/** Plans the edits for a set of sites of one file. */
function planSites(c: Ctx, selected: readonly ClassifiedSite[]): void {
  const legacyInfo = new Map<ClassifiedSite, Legacy>();
  const siblings = c.analysis.sites;
  for (const site of selected) {
    const cl = conceptOf(c, site);
    if (!cl) continue;
    // An imported instance of a legacy class: the target has no such name; a person migrates it.
    const instanceAt = site.target.kind === 'legacy' ? site.target.instances.findIndex((x) => x !== null) : -1;
    if (instanceAt >= 0 && site.target.kind === 'legacy') {
      const instance = site.target.instances[instanceAt]!;
      const name = site.names[instanceAt]!.imported;
      refuseNoCounterpart(c, site, noCounterpartReason(cl.concept, c.ctx.config.rootDir, name, instance));
      continue;
    }
    const target = siteMigrationTarget(cl.concept, cl.legacy, site.specifier);
    const spec = specifierFor(c.ctx, site, target, siblings);
    if ('error' in spec) {
      refuse(c, site, spec.error);
      continue;
    }
    // The target may be this very file (a compat module re-exporting the legacy one).
    const self = c.ctx.resolver.resolve(spec.specifier, site.file, site.form);
    if (self.kind === 'file' && path.resolve(self.path) === path.resolve(site.file)) {
      refuse(c, site, `'${spec.specifier}' is this file itself: the module would import itself`);
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

// ---- namespace-like bindings -------------------------------------------------------------------

function planNamespaceImport(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  if (site.names.length > 1)
    return refuse(c, site, 'a default import combined with a namespace import: rewrite by hand');
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

function bindingPatternOf(
  call: ts.Node,
): { pattern: ts.ObjectBindingPattern; decl: ts.VariableDeclaration } | { ident: ts.Identifier } | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)))
    node = node.parent;
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && p.initializer === node) {
    if (ts.isIdentifier(p.name)) return { ident: p.name };
    if (ts.isObjectBindingPattern(p.name)) return { pattern: p.name, decl: p };
  }
  return undefined;
}

/** `{ a, b: c }`: every element must map; renamed names get `Canonical: local`. Returns the unmapped. */
function planPattern(
  c: Ctx,
  site: ClassifiedSite,
  info: Legacy,
  pattern: ts.ObjectBindingPattern,
): { edits: TextEdit[]; unmapped: number[]; moved: number[]; problem?: string; instance?: string } {
  const edits: TextEdit[] = [];
  const unmapped: number[] = [];
  const moved: number[] = [];
  let instance: string | undefined;
  pattern.elements.forEach((el, i) => {
    if (el.dotDotDotToken) {
      unmapped.push(i);
      return;
    }
    const prop = el.propertyName;
    const imported = prop
      ? ts.isIdentifier(prop) || ts.isStringLiteral(prop)
        ? prop.text
        : undefined
      : ts.isIdentifier(el.name)
        ? el.name.text
        : undefined;
    const mapped = imported !== undefined ? mapLegacyName(info.concept, info.legacy, imported) : null;
    if (!mapped || imported === undefined) {
      if (imported !== undefined) instance ??= instanceRefusal(c, site, info, imported);
      unmapped.push(i);
      return;
    }
    moved.push(i);
    if (mapped.name === imported) return;
    if (prop) edits.push({ start: prop.getStart(c.sf), end: prop.end, text: mapped.name });
    else edits.push({ start: el.name.getStart(c.sf), end: el.name.end, text: `${mapped.name}: ${imported}` });
  });
  const rest = pattern.elements.some((el) => el.dotDotDotToken);
  return {
    edits,
    unmapped,
    moved,
    ...(rest ? { problem: 'a rest element (`...rest`) takes every other export' } : {}),
    ...(instance !== undefined ? { instance } : {}),
  };
}

function planRequire(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  const call = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isCallExpression);
  if (!call) return refuse(c, site, 'cannot find the require() call');
  const parent = call.parent;
  // require('x').Name
  if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === call) {
    const mapped = mapLegacyName(info.concept, info.legacy, parent.name.text);
    if (!mapped) {
      const instance = instanceRefusal(c, site, info, parent.name.text);
      return instance ? refuseNoCounterpart(c, site, instance) : void c.kept.push(site);
    }
    const edits = [specifierEdit(site, info.specifier)];
    if (mapped.name !== parent.name.text)
      edits.push({ start: parent.name.getStart(c.sf), end: parent.name.end, text: mapped.name });
    push(c, site, ...edits);
    c.rewritten.push(site);
    return;
  }
  const binding = bindingPatternOf(call);
  if (binding && 'ident' in binding) return planNamespaceBinding(c, site, info, binding.ident, 'require binding');
  if (!binding) return planWholeModule(c, site, info, !(parent && ts.isExpressionStatement(parent)));
  const { edits, unmapped, moved, problem, instance } = planPattern(c, site, info, binding.pattern);
  if (instance) return refuseNoCounterpart(c, site, instance);
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
  const q = quoteOf(site);
  const semi = semicolonOf(c.text, statement.getStart(c.sf), statement.end);
  const split = `${keyword} { ${movedTexts.join(', ')} } = require(${q}${info.specifier}${q})${semi}`;
  push(
    c,
    site,
    ...removeListElements(elements, new Set(moved)),
    insertAfterStatement(c.text, statement.getStart(c.sf), statement.end, c.eol, split),
  );
  c.rewritten.push(site);
}

function planDynamicImport(c: Ctx, site: ClassifiedSite, info: Legacy): void {
  const call = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isCallExpression);
  if (!call) return refuse(c, site, 'cannot find the import() call');
  const binding = bindingPatternOf(call);
  if (binding && 'ident' in binding) return planNamespaceBinding(c, site, info, binding.ident, 'import() binding');
  if (binding) {
    const { edits, unmapped, moved, problem, instance } = planPattern(c, site, info, binding.pattern);
    if (instance) return refuseNoCounterpart(c, site, instance);
    if (moved.length === 0) return void c.kept.push(site);
    if (problem) return refuse(c, site, problem);
    if (unmapped.length > 0)
      return refuse(
        c,
        site,
        'import() destructures names that are not part of the concept; a dynamic import cannot be split',
      );
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
    const mapped = mapImported(c, site, info, n.imported);
    if (mapped) moved.push({ i, mapped });
  });
  if (moved.length === 0) return void c.kept.push(site);
  const textOf = (i: number, mapped: MappedName): string => {
    const n = site.names[i]!;
    return elementText(mapped.name, n.local, /^type\s/.test(c.text.slice(n.start, n.end)));
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
  // Split: the moved names get an `export { .. } from` of the same form right after the statement.
  const q = quoteOf(site);
  const elements = moved.map(({ i, mapped }) => textOf(i, mapped)).join(', ');
  const from = `${q}${info.specifier}${q}${semicolonOf(c.text, site.nodeStart, site.nodeEnd)}`;
  const split = `export ${site.typeOnly ? 'type ' : ''}{ ${elements} } from ${from}`;
  push(
    c,
    site,
    ...removeListElements(site.names, new Set(moved.map((m) => m.i))),
    insertAfterStatement(c.text, site.nodeStart, site.nodeEnd, c.eol, split),
  );
  c.rewritten.push(site);
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
    noCounterpart: new Set(),
    kept: [],
    notes: [],
    bySite: new Map(),
    specifiers: new Set(),
  };
}

function selectedSites(analysis: FileAnalysis, options: PlanOptions, usingConcept: boolean): ClassifiedSite[] {
  // Sites inside a legacy module itself (`internal`) go with the module: never rewritten. Sites
  // the classification says do not use the concept (names outside it, a type import allowed by
  // allowTypeImports) stay as they are: kept.
  return analysis.sites.filter(
    (s) =>
      s.target.kind === 'legacy' &&
      !s.target.internal &&
      s.target.concept === usingConcept &&
      (!options.concepts || options.concepts.includes(s.target.conceptId)),
  );
}

/**
 * Plans the rewrite of every legacy site of a file. Edits are offsets into `text` and do not
 * overlap; `applyEdits(text, plan.edits)` is the new text.
 */
export function planFileRewrite(
  ctx: AnalysisContext,
  analysis: FileAnalysis,
  text: string,
  options: PlanOptions = {},
): FilePlan {
  const c = makeCtx(ctx, analysis, text, options);
  const sites = selectedSites(analysis, options, true);
  c.kept.push(...selectedSites(analysis, options, false));
  if (sites.length > 0) planSites(c, sites);
  return {
    edits: c.edits,
    rewritten: c.rewritten,
    refused: c.refused,
    kept: c.kept,
    notes: c.notes,
    specifiers: [...c.specifiers],
  };
}

/**
 * Plans the rewrite of one site (the ESLint autofix): the same decisions as the file plan,
 * restricted to the edits this site needs (with `mergeImports`, extending an existing import of
 * the target included).
 */
export function planSiteRewrite(
  ctx: AnalysisContext,
  analysis: FileAnalysis,
  site: ClassifiedSite,
  text: string,
  options: PlanOptions = {},
): SiteRewrite {
  const c = makeCtx(ctx, analysis, text, options);
  const none = (decision: SiteDecision, reason: string): SiteRewrite => ({
    site,
    edits: [],
    safe: false,
    decision,
    reason,
  });
  if (site.target.kind !== 'legacy') return none('not-legacy', 'not a legacy site');
  if (site.target.internal) {
    return none('internal', 'the importing file is itself a legacy module: the site goes with the module');
  }
  const nonConcept = 'no name of this import is part of the concept';
  if (!site.target.concept) return none('non-concept', nonConcept);
  planSites(c, [site]);
  const refused = c.refused.find((r) => r.site === site);
  if (refused) return none(c.noCounterpart.has(site) ? 'no-counterpart' : 'refused', refused.reason);
  if (c.kept.includes(site)) return none('non-concept', nonConcept);
  if (c.edits.length === 0) return none('nothing-to-change', 'nothing to change');
  return { site, edits: c.edits, safe: true, decision: 'rewrite' };
}
