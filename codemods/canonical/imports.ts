import ts from '../../src/core/typescript.cjs';
import type { TextEdit } from '../../src/core/types.js';
import type { ClassifiedSite } from '../../src/core/types.js';
import { removeListElements, removeStatement } from '../../src/core/rewrite/edits.js';

/**
 * Stage 2's import edits for one file: a compat binding whose every reference was rewritten goes
 * (an import left empty goes with its line), and the canonical names the rewritten uses spell are
 * imported once: into an existing import of the canonical module, in place of a compat import
 * that went, or as a new import after the first compat import.
 */

export interface SiteBindings {
  site: ClassifiedSite;
  /** The statement (import declaration or variable statement) the site is. */
  statement: ts.Statement;
  kind: 'named' | 'namespace' | 'require-named';
  /** Named elements with their binding symbols (for 'named' and 'require-named'). */
  elements: { node: ts.Node; symbol: ts.Symbol | undefined }[];
  /** The binding of a namespace-like site. */
  binding?: ts.Symbol;
}

export interface ImportPlanInput {
  sf: ts.SourceFile;
  sites: SiteBindings[];
  /** Compat sites whose specifier simply moves (namespace-like all rewritten, mocks, side effects, import('x').T). */
  moveSpecifier: ClassifiedSite[];
  /** Bindings all of whose references were rewritten away. */
  gone: (symbol: ts.Symbol | undefined) => boolean;
  /** Canonical names to import: name -> needed as a value. */
  needs: Map<string, boolean>;
  /** The canonical module spelled for this file (from the first compat site). */
  canonicalSpecifier: string;
  /** An existing named import of the canonical module to extend. */
  existingCanonical?: ts.ImportDeclaration;
  quote: string;
  eol: string;
}

function specifierEdit(site: ClassifiedSite, specifier: string): TextEdit {
  return { start: site.specifierStart + 1, end: site.specifierEnd - 1, text: specifier };
}

function semicolonOf(sf: ts.SourceFile, node: ts.Node): string {
  return sf.text.slice(node.getStart(sf), node.end).trimEnd().endsWith(';') ? ';' : '';
}

export function planImports(input: ImportPlanInput): TextEdit[] {
  const { sf, needs, quote: q } = input;
  const text = sf.text;
  const edits: TextEdit[] = [];
  for (const site of input.moveSpecifier) edits.push(specifierEdit(site, input.canonicalSpecifier));

  const names = [...needs.keys()].sort();
  const allTypes = names.every((n) => !needs.get(n));
  const element = (n: string, inTypeOnly: boolean): string =>
    needs.get(n) || inTypeOnly || allTypes ? n : `type ${n}`;
  let placed = names.length === 0;

  if (!placed && input.existingCanonical) {
    const decl = input.existingCanonical;
    const clause = decl.importClause;
    const bindings = clause?.namedBindings;
    const typeOnly = Boolean(clause?.isTypeOnly);
    if (bindings && ts.isNamedImports(bindings) && (!typeOnly || allTypes)) {
      const present = new Set(bindings.elements.map((e) => e.name.text));
      const missing = names.filter((n) => !present.has(n));
      const last = bindings.elements[bindings.elements.length - 1];
      if (missing.length > 0 && last)
        edits.push({
          start: last.end,
          end: last.end,
          text: `, ${missing.map((n) => element(n, typeOnly)).join(', ')}`,
        });
      placed = true;
    }
  }

  for (const s of input.sites) {
    if (s.kind === 'namespace') continue;
    const removed = new Set<number>();
    s.elements.forEach((e, i) => {
      if (input.gone(e.symbol)) removed.add(i);
    });
    if (removed.size === 0) continue;
    const whole = removed.size === s.elements.length;
    const semi = semicolonOf(sf, s.statement);
    if (s.kind === 'named') {
      const typeOnly = Boolean((s.statement as ts.ImportDeclaration).importClause?.isTypeOnly) && allTypes;
      if (whole && !placed) {
        const list = names.map((n) => element(n, typeOnly)).join(', ');
        edits.push({
          start: s.statement.getStart(sf),
          end: s.statement.end,
          text: `import ${typeOnly ? 'type ' : ''}{ ${list} } from ${q}${input.canonicalSpecifier}${q}${semi}`,
        });
        placed = true;
      } else if (whole) edits.push(removeStatement(text, s.statement.getStart(sf), s.statement.end));
      else
        edits.push(
          ...removeListElements(
            s.elements.map((e) => ({ start: e.node.getStart(sf), end: e.node.end })),
            removed,
          ),
        );
    } else {
      const decl = (s.statement as ts.VariableStatement).declarationList;
      const keyword = decl.flags & ts.NodeFlags.Const ? 'const' : decl.flags & ts.NodeFlags.Let ? 'let' : 'var';
      if (whole && !placed) {
        edits.push({
          start: s.statement.getStart(sf),
          end: s.statement.end,
          text: `${keyword} { ${names.join(', ')} } = require(${q}${input.canonicalSpecifier}${q})${semi}`,
        });
        placed = true;
      } else if (whole) edits.push(removeStatement(text, s.statement.getStart(sf), s.statement.end));
      else
        edits.push(
          ...removeListElements(
            s.elements.map((e) => ({ start: e.node.getStart(sf), end: e.node.end })),
            removed,
          ),
        );
    }
  }

  if (!placed) {
    const anchor = input.sites[0]?.statement;
    if (!anchor) throw new Error('no compat import to place the canonical import after');
    const semi = semicolonOf(sf, anchor);
    const isRequire = input.sites[0]!.kind === 'require-named';
    const statement = isRequire
      ? `const { ${names.join(', ')} } = require(${q}${input.canonicalSpecifier}${q})${semi}`
      : `import ${allTypes ? 'type ' : ''}{ ${names.map((n) => element(n, false)).join(', ')} ` +
        `} from ${q}${input.canonicalSpecifier}${q}${semi}`;
    edits.push({ start: anchor.end, end: anchor.end, text: `${input.eol}${statement}` });
  }
  return edits;
}
