import * as path from 'node:path';
import ts from '../typescript.cjs';
import type { MappedName } from '../mapping.js';
import { stripExtension } from '../resolve.js';
import type { ClassifiedSite, ImportedName, TextEdit } from '../types.js';
import {
  elementText,
  mapImported,
  push,
  quoteOf,
  refuse,
  specifierEdit,
  type Ctx,
  type Legacy,
  type Moved,
} from './context.js';
import { findNode, indentAt, insertAfterStatement, removeListElements, removeStatement, semicolonOf } from './edits.js';
import { planLocalRename } from './rename.js';

// Named and default imports. By default each import is rewritten where it stands (the rule of
// least change): moved whole, only its specifier changes (and the elements whose name maps to
// another); split, the names that stay keep the original statement and the moved ones get a new
// statement of the same form right after it. `mergeImports` merges into imports of the target.

interface NamedPlan {
  site: ClassifiedSite;
  info: Legacy;
  decl: ts.ImportDeclaration;
  moved: Moved[];
  keptIdx: number[];
  movedIdx: number[];
}

/** Local name after the rewrite: the canonical name with --rename when that is safe, else the old one. */
function localFor(
  c: Ctx,
  decl: ts.ImportDeclaration,
  name: ImportedName,
  mapped: MappedName,
  renames: TextEdit[],
): string {
  if (
    !c.options.rename ||
    name.imported === 'default' ||
    name.local !== name.imported ||
    mapped.name === name.local ||
    mapped.name === 'default'
  )
    return name.local;
  const named = decl.importClause?.namedBindings;
  const spec =
    named && ts.isNamedImports(named) ? named.elements.find((e) => e.getStart(c.sf) === name.start) : undefined;
  if (!spec) return name.local;
  const result = planLocalRename(c.sf, spec.name, mapped.name);
  if ('conflict' in result) {
    c.notes.push(`kept ${name.local} as an alias of ${mapped.name}: ${result.conflict}`);
    return name.local;
  }
  renames.push(...result.edits);
  return mapped.name;
}

export function planNamedImports(c: Ctx, sites: readonly ClassifiedSite[], infos: Map<ClassifiedSite, Legacy>): void {
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
      const mapped = mapImported(c, site, info, name.imported);
      if (!mapped) keptIdx.push(i);
      else {
        movedIdx.push(i);
        moved.push({ name, mapped, local: localFor(c, decl, name, mapped, renameEdits) });
      }
    });
    if (moved.length === 0) {
      c.kept.push(site);
      continue;
    }
    push(c, site, ...renameEdits);
    plans.push({ site, info, decl, moved, keptIdx, movedIdx });
  }
  if (!c.options.mergeImports) {
    for (const p of plans) planInPlace(c, p);
    return;
  }
  // --merge-imports: one target module per scope at a time; all its names end up in one import.
  // `declare module` blocks and namespaces are scopes of their own: nothing crosses them.
  const groups = new Map<string, NamedPlan[]>();
  for (const p of plans) {
    const key = `${p.info.target.module}\0${scopeOf(p.decl).pos}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) planMergedGroup(c, group);
}

// ---- in place (default) -------------------------------------------------------------------------

function planInPlace(c: Ctx, p: NamedPlan): void {
  if (p.keptIdx.length > 0) return splitInPlace(c, p);
  const edits: TextEdit[] = [specifierEdit(p.site, p.info.specifier)];
  const clause = p.decl.importClause!;
  for (const m of p.moved) {
    if (m.name.imported === 'default') {
      if (m.mapped.name !== 'default')
        edits.push(...defaultToNamed(c, clause, elementText(m.mapped.name, m.local, false)));
      continue;
    }
    if (m.mapped.name === m.name.imported && m.local === m.name.local) continue;
    const inline = !p.site.typeOnly && /^type\s/.test(c.text.slice(m.name.start, m.name.end));
    edits.push({ start: m.name.start, end: m.name.end, text: elementText(m.mapped.name, m.local, inline) });
  }
  push(c, p.site, ...edits);
  c.rewritten.push(p.site);
}

/** A default binding that maps to a named export: `D` -> `{ X as D }`, `D, { a }` -> `{ X as D, a }`. */
function defaultToNamed(c: Ctx, clause: ts.ImportClause, element: string): TextEdit[] {
  const name = clause.name!;
  const named = clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
  if (!named) return [{ start: name.getStart(c.sf), end: name.end, text: `{ ${element} }` }];
  const removeDefault: TextEdit = { start: name.getStart(c.sf), end: named.getStart(c.sf), text: '' };
  const first = named.elements[0];
  if (!first) return [removeDefault, { start: named.getStart(c.sf), end: named.end, text: `{ ${element} }` }];
  const firstStart = first.getStart(c.sf);
  const multiline = c.text.slice(named.getStart(c.sf), firstStart).includes('\n');
  const separator = multiline ? `,${c.eol}${indentAt(c.text, firstStart)}` : ', ';
  return [removeDefault, { start: firstStart, end: firstStart, text: element + separator }];
}

/** The names that stay keep the statement; the moved ones get a statement of the same form after it. */
function splitInPlace(c: Ctx, p: NamedPlan): void {
  const defaultMoved = p.moved.find((m) => m.name.imported === 'default' && m.mapped.name === 'default');
  const elements = p.moved
    .filter((m) => m !== defaultMoved)
    .map((m) => elementText(m.mapped.name, m.local, m.name.isTypeOnly && !p.site.typeOnly));
  const clause = [
    ...(defaultMoved ? [defaultMoved.local] : []),
    ...(elements.length > 0 ? [`{ ${elements.join(', ')} }`] : []),
  ].join(', ');
  const q = quoteOf(p.site);
  const semi = semicolonOf(c.text, p.site.nodeStart, p.site.nodeEnd);
  const statement = `import ${p.site.typeOnly ? 'type ' : ''}${clause} from ${q}${p.info.specifier}${q}${semi}`;
  push(
    c,
    p.site,
    ...removeNamedElements(c, p),
    insertAfterStatement(c.text, p.site.nodeStart, p.site.nodeEnd, c.eol, statement),
  );
  c.rewritten.push(p.site);
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

// ---- --merge-imports ----------------------------------------------------------------------------

/** The import scope of a declaration: the file, or the `declare module` / namespace block holding it. */
function scopeOf(node: ts.Node): ts.Node {
  let n = node.parent;
  while (n && !ts.isSourceFile(n) && !ts.isModuleBlock(n)) n = n.parent;
  return n ?? node;
}

function sameTarget(site: ClassifiedSite, target: { module: string; isPath: boolean }): boolean {
  if (!target.isPath) return site.specifier === target.module;
  return (
    site.resolution.kind === 'file' &&
    stripExtension(path.normalize(site.resolution.path)) === stripExtension(path.normalize(target.module))
  );
}

function planMergedGroup(c: Ctx, group: NamedPlan[]): void {
  const first = group[0]!;
  const target = first.info.target;
  const scope = scopeOf(first.decl);
  const allMovedTypeOnly = group.every((p) => p.moved.every((m) => m.name.isTypeOnly));
  const full = (p: NamedPlan) => p.keptIdx.length === 0;
  const hasDefaultRemap = (p: NamedPlan) =>
    p.moved.some((m) => m.name.imported === 'default' && m.mapped.name !== 'default');

  // 1. An existing import of the target in the same scope is extended, never duplicated.
  let existing: { site: ClassifiedSite; decl: ts.ImportDeclaration } | undefined;
  for (const s of c.analysis.sites) {
    if ((s.form !== 'import' && s.form !== 'import-type') || s.target.kind === 'legacy' || !sameTarget(s, target))
      continue;
    if (s.names.length === 0 || s.names.some((n) => n.imported === '*')) continue;
    if (s.typeOnly && !allMovedTypeOnly) continue;
    const decl = findNode(c.sf, s.nodeStart, s.nodeEnd, ts.isImportDeclaration);
    if (!decl || scopeOf(decl) !== scope) continue;
    if (!existing || (existing.site.typeOnly && !s.typeOnly)) existing = { site: s, decl };
  }

  // 2. Else the first legacy import that moves wholly becomes the import of the target.
  const hostPlan = existing
    ? undefined
    : group.find((p) => full(p) && !hasDefaultRemap(p) && (!p.site.typeOnly || allMovedTypeOnly));

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
      planInPlace(c, p);
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
    const semi = semicolonOf(c.text, anchor.site.nodeStart, anchor.site.nodeEnd);
    const from = `${q}${anchor.info.specifier}${q}${semi}`;
    const statement = `import ${hostTypeOnly ? 'type ' : ''}{ ${additions.join(', ')} } from ${from}`;
    if (anchorReplaced)
      push(c, anchor.site, { start: anchor.site.nodeStart, end: anchor.site.nodeEnd, text: statement });
    else
      push(c, anchor.site, insertAfterStatement(c.text, anchor.site.nodeStart, anchor.site.nodeEnd, c.eol, statement));
  } else if (anchorReplaced) {
    // Every name was already imported from the target: the legacy import just goes.
    push(c, anchorReplaced.site, removeStatement(c.text, anchorReplaced.site.nodeStart, anchorReplaced.site.nodeEnd));
  }
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
