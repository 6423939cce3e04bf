import ts from '../typescript.cjs';
import type { ClassifiedSite, TextEdit } from '../types.js';
import {
  describe,
  instanceRefusal,
  push,
  quoteOf,
  refuse,
  refuseNoCounterpart,
  specifierEdit,
  type Ctx,
  type Legacy,
} from './context.js';
import { findNode, insertAfterStatement, semicolonOf } from './edits.js';
import { bindingReferences, nameConflict, singleFileChecker } from './references.js';
import { wholeModuleRefusal } from './whole-module.js';
import { capList } from '../../shared/terminal.js';
import { mapLegacyName } from '../mapping.js';

/** One `ns.X` (or `ns['X']`, or `ns.X` in a type) of a namespace-like binding. */
interface MemberUse {
  name: string;
  /** The member name (inside the quotes for `ns['X']`). */
  nameStart: number;
  nameEnd: number;
  /** The whole access, `ns.X`. */
  start: number;
  end: number;
}

/** How a namespace-like binding (`* as ns`, `ns = require()`, `ns = await import()`) is used. */
interface NamespaceUse {
  members: MemberUse[];
  /** Uses of the namespace object itself (passed as a value, indexed by a computed key, ...). */
  escapes: string[];
}

/**
 * The uses of a binding, scope-aware: only identifiers whose symbol is the binding's are its
 * references (a shadowing `const event` is not the namespace `event`).
 */
function namespaceUse(c: Ctx, binding: ts.Identifier): NamespaceUse {
  const use: NamespaceUse = { members: [], escapes: [] };
  const line = (n: ts.Node): number => c.sf.getLineAndCharacterOfPosition(n.getStart(c.sf)).line + 1;
  for (const ref of bindingReferences(c.sf, binding, () => singleFileChecker(c.sf))) {
    const p = ref.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === ref && ts.isIdentifier(p.name)) {
      use.members.push({
        name: p.name.text,
        nameStart: p.name.getStart(c.sf),
        nameEnd: p.name.end,
        start: ref.getStart(c.sf),
        end: p.end,
      });
    } else if (ts.isQualifiedName(p) && p.left === ref) {
      use.members.push({
        name: p.right.text,
        nameStart: p.right.getStart(c.sf),
        nameEnd: p.right.end,
        start: ref.getStart(c.sf),
        end: p.end,
      });
    } else if (
      ts.isElementAccessExpression(p) &&
      p.expression === ref &&
      ts.isStringLiteralLike(p.argumentExpression)
    ) {
      const a = p.argumentExpression;
      use.members.push({
        name: a.text,
        nameStart: a.getStart(c.sf) + 1,
        nameEnd: a.end - 1,
        start: ref.getStart(c.sf),
        end: p.end,
      });
    } else if (ts.isElementAccessExpression(p) && p.expression === ref) {
      use.escapes.push(`${binding.text} is indexed by a computed key (line ${line(p)})`);
    } else {
      const code = c.text.slice(p.getStart(c.sf), p.end).slice(0, 60);
      use.escapes.push(`${binding.text} is used as a value (line ${line(ref)}: \`${code}\`)`);
    }
  }
  return use;
}

/**
 * Plans a namespace-like whole-module site. Every `ns.X` of the concept moves with it; when some
 * members stay (not part of the concept), an `import * as ns` is split: the concept members get a
 * named import of the target right after it and `ns.X` becomes `X`. Refused only when the
 * namespace object escapes (then it moves only if every export of the legacy module maps to
 * itself), or for a binding form that has no split (`require()`, `import()`, `import x =`).
 */
export function planNamespaceBinding(
  c: Ctx,
  site: ClassifiedSite,
  info: Legacy,
  binding: ts.Identifier,
  label: string,
): void {
  if (!mapLegacyName(info.concept, info.legacy, '*'))
    return refuse(c, site, `${info.legacy.module} cannot be moved as a whole (${describe(info.concept)})`);
  const use = namespaceUse(c, binding);
  if (use.escapes.length > 0) {
    const refusal = wholeModuleRefusal(c, site, info, true, `${label} ${use.escapes[0]}`);
    if (refusal) return refuse(c, site, refusal);
  }
  const renames: TextEdit[] = [];
  const staying: string[] = [];
  for (const m of use.members) {
    const mapped = mapLegacyName(info.concept, info.legacy, m.name);
    if (!mapped) {
      // `ns.messageRouter`, an exported instance of a legacy class: neither moves nor stays unnoticed.
      const instance = instanceRefusal(c, site, info, m.name);
      if (instance) return refuseNoCounterpart(c, site, instance);
      if (!staying.includes(m.name)) staying.push(m.name);
    } else if (mapped.name !== m.name) renames.push({ start: m.nameStart, end: m.nameEnd, text: mapped.name });
  }
  if (staying.length === 0 || use.escapes.length > 0) {
    push(c, site, specifierEdit(site, info.specifier), ...renames);
    c.rewritten.push(site);
    return;
  }
  if (staying.length === new Set(use.members.map((m) => m.name)).size) return void c.kept.push(site);
  const members = capList(staying.map((n) => `${binding.text}.${n}`));
  const notPart = `${members} ${staying.length === 1 ? 'is' : 'are'} not part of ${describe(info.concept)}`;
  if (label !== 'namespace import')
    return refuse(c, site, `${label} ${binding.text}: ${notPart}; a ${label} cannot be split`);
  splitNamespaceImport(c, site, info, use, notPart);
}

/** `import * as ns from legacy` used for concept and other members: the concept members move to a named import. */
function splitNamespaceImport(c: Ctx, site: ClassifiedSite, info: Legacy, use: NamespaceUse, notPart: string): void {
  const decl = findNode(c.sf, site.nodeStart, site.nodeEnd, ts.isImportDeclaration);
  if (!decl) return refuse(c, site, 'cannot find the namespace import');
  const locals: string[] = [];
  const edits: TextEdit[] = [];
  for (const m of use.members) {
    const mapped = mapLegacyName(info.concept, info.legacy, m.name);
    if (!mapped) continue;
    // The member becomes a binding of its (target) name: `legacy.MessageRouter` -> `MessageRouter`.
    if (!locals.includes(mapped.name)) {
      // The name must be free in the whole file: spelled nowhere as an identifier (it is not a
      // lib global either: nothing but the file is in scope).
      const conflict = nameConflict(c.sf, mapped.name);
      if (conflict)
        return refuse(c, site, `namespace import: ${notPart}, and the split cannot bind ${mapped.name}: ${conflict}`);
      locals.push(mapped.name);
    }
    edits.push({ start: m.start, end: m.end, text: mapped.name });
  }
  const q = quoteOf(site);
  const from = `${q}${info.specifier}${q}${semicolonOf(c.text, site.nodeStart, site.nodeEnd)}`;
  const statement = `import ${site.typeOnly ? 'type ' : ''}{ ${locals.join(', ')} } from ${from}`;
  push(c, site, ...edits, insertAfterStatement(c.text, site.nodeStart, site.nodeEnd, c.eol, statement));
  c.rewritten.push(site);
}
