import { setParentPointers } from './parse.js';
import { holdsOffset, wordOffsets } from './text-offsets.js';
import ts from './typescript.cjs';
import type { ImportForm, ImportedName, ImportSite } from './types.js';
import { walkAst } from './walk.js';

/** Calls whose first argument names a module although they are not imports. */
export const MOCK_CALLEES: ReadonlySet<string> = new Set([
  'jest.mock',
  'jest.unmock',
  'jest.doMock',
  'jest.dontMock',
  'jest.setMock',
  'jest.requireActual',
  'jest.requireMock',
  'jest.createMockFromModule',
  'vi.mock',
  'vi.unmock',
  'vi.doMock',
  'vi.doUnmock',
  'vi.importActual',
  'vi.importMock',
]);

/**
 * Words the source text of every import site contains: `import`/`export` (declarations, import
 * types, `import()`), `require` (calls, `import = require`), the member names of the mock callees,
 * and `\u`, with which an identifier can spell any of them in escapes. A subtree whose text holds
 * none of them holds no site, so the walk need not enter it (most function bodies).
 */
export const SITE_WORDS: readonly string[] = minimalWords([
  'import',
  'export',
  'require',
  '\\u',
  ...[...MOCK_CALLEES].map((c) => c.slice(c.lastIndexOf('.') + 1)),
]);

/** Drops words that contain another word of the list (`unmock` holds `mock`): same subtrees, fewer scans. */
function minimalWords(words: readonly string[]): string[] {
  const unique = [...new Set(words)];
  return unique.filter((w) => !unique.some((other) => other !== w && w.includes(other)));
}

function stringLiteralOf(node: ts.Node | undefined): ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node;
  return undefined;
}

function nameText(name: ts.ModuleExportName | ts.Identifier): string {
  return name.text;
}

/** `a.b.c` for a callee made of identifiers (a loop: a member chain can be arbitrarily long). */
function calleeText(expr: ts.Expression): string | undefined {
  const parts: string[] = [];
  let e = expr;
  while (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
    parts.push(e.name.text);
    e = e.expression;
  }
  if (!ts.isIdentifier(e)) return undefined;
  parts.push(e.text);
  return parts.reverse().join('.');
}

/** Names a `require()` call binds: `const { a, b: c } = require()`, `const m = require()`, `require().a`. */
function requireNames(call: ts.CallExpression, sf: ts.SourceFile): ImportedName[] {
  const parent = call.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === call) {
    if (ts.isIdentifier(parent.name)) {
      return [
        {
          imported: '*',
          local: parent.name.text,
          isTypeOnly: false,
          start: parent.name.getStart(sf),
          end: parent.name.end,
        },
      ];
    }
    if (ts.isObjectBindingPattern(parent.name)) {
      const out: ImportedName[] = [];
      for (const el of parent.name.elements) {
        if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
        const prop = el.propertyName;
        const imported = prop
          ? ts.isIdentifier(prop) || ts.isStringLiteral(prop)
            ? prop.text
            : undefined
          : el.name.text;
        if (imported)
          out.push({ imported, local: el.name.text, isTypeOnly: false, start: el.getStart(sf), end: el.end });
      }
      return out;
    }
  }
  if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === call && ts.isIdentifier(parent.name)) {
    return [
      {
        imported: parent.name.text,
        local: parent.name.text,
        isTypeOnly: false,
        start: parent.name.getStart(sf),
        end: parent.name.end,
      },
    ];
  }
  return [];
}

/**
 * The import inventory: every place a file refers to a module, in every syntactic form,
 * found on TypeScript's AST (a comment or string that merely mentions a module never counts).
 */
/**
 * The name of the ambient `declare module '...'` around a node, in a file that is no module (the
 * walk set the parents). In a module, such a block is an augmentation of the module, which cannot
 * import or re-export (TS2666, TS2667): its sites are the file's own, not the module's.
 */
function ambientModuleAround(sf: ts.SourceFile, node: ts.Node): string | undefined {
  if (ts.isExternalModule(sf)) return undefined;
  for (let p = node.parent as ts.Node | undefined; p; p = p.parent) {
    if (ts.isModuleDeclaration(p) && ts.isStringLiteral(p.name)) return p.name.text;
  }
  return undefined;
}

export function collectImportSites(sf: ts.SourceFile, options: { exhaustive?: boolean } = {}): ImportSite[] {
  const sites: ImportSite[] = [];
  // Skip subtrees that cannot hold a site (see SITE_WORDS): the same sites, a fraction of the
  // walk. `exhaustive` walks every node (tests compare the two).
  const offsets = options.exhaustive ? undefined : wordOffsets(sf.text, SITE_WORDS);

  const add = (
    form: ImportForm,
    literal: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral,
    node: ts.Node,
    extra: { typeOnly?: boolean; names?: ImportedName[]; callee?: string } = {},
  ): void => {
    setParentPointers(node); // a site's whole subtree, also where the walk does not go
    const start = literal.getStart(sf);
    const ambientModule = ambientModuleAround(sf, node);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    const q = sf.text[start];
    sites.push({
      form,
      specifier: literal.text,
      line: line + 1,
      column: character + 1,
      specifierStart: start,
      specifierEnd: literal.end,
      nodeStart: node.getStart(sf),
      nodeEnd: node.end,
      quote: q === '"' ? '"' : q === '`' ? '`' : "'",
      typeOnly: extra.typeOnly ?? false,
      names: extra.names ?? [],
      ...(extra.callee ? { callee: extra.callee } : {}),
      ...(ambientModule !== undefined ? { ambientModule } : {}),
    });
  };

  // The walk also sets the parent pointers of what it visits, for a tree parsed without them
  // (parseFile's `parents: 'sites'`): every ancestor of a visited node, and all of a site's subtree.
  // It returns false where it does not descend (see walkAst: no recursion, any depth).
  const visit = (node: ts.Node, parent: ts.Node): boolean => {
    (node as { parent: ts.Node }).parent = parent;
    if (offsets && !holdsOffset(offsets, node.pos, node.end)) return false;
    if (ts.isImportDeclaration(node)) {
      const literal = stringLiteralOf(node.moduleSpecifier);
      if (literal) {
        const clause = node.importClause;
        if (!clause) add('side-effect', literal, node);
        else {
          const typeOnly = clause.isTypeOnly;
          const names: ImportedName[] = [];
          if (clause.name)
            names.push({
              imported: 'default',
              local: clause.name.text,
              isTypeOnly: typeOnly,
              start: clause.name.getStart(sf),
              end: clause.name.end,
            });
          const bindings = clause.namedBindings;
          if (bindings && ts.isNamespaceImport(bindings)) {
            names.push({
              imported: '*',
              local: bindings.name.text,
              isTypeOnly: typeOnly,
              start: bindings.getStart(sf),
              end: bindings.end,
            });
          } else if (bindings) {
            for (const el of bindings.elements) {
              names.push({
                imported: nameText(el.propertyName ?? el.name),
                local: el.name.text,
                isTypeOnly: typeOnly || el.isTypeOnly,
                start: el.getStart(sf),
                end: el.end,
              });
            }
          }
          add(typeOnly ? 'import-type' : 'import', literal, node, { typeOnly, names });
        }
      }
      return false;
    }
    if (ts.isExportDeclaration(node)) {
      const literal = stringLiteralOf(node.moduleSpecifier);
      if (literal) {
        const clause = node.exportClause;
        const typeOnly = node.isTypeOnly;
        if (!clause) add('export-all', literal, node, { typeOnly });
        else if (ts.isNamespaceExport(clause)) {
          add('export-all-as', literal, node, {
            typeOnly,
            names: [
              {
                imported: '*',
                local: nameText(clause.name),
                isTypeOnly: typeOnly,
                start: clause.getStart(sf),
                end: clause.end,
              },
            ],
          });
        } else {
          const names = clause.elements.map((el) => ({
            imported: nameText(el.propertyName ?? el.name),
            local: nameText(el.name),
            isTypeOnly: typeOnly || el.isTypeOnly,
            start: el.getStart(sf),
            end: el.end,
          }));
          add('export-from', literal, node, { typeOnly, names });
        }
      }
      return false;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const literal = stringLiteralOf(node.moduleReference.expression);
      if (literal) {
        add('import-equals', literal, node, {
          typeOnly: node.isTypeOnly,
          names: [
            {
              imported: '*',
              local: node.name.text,
              isTypeOnly: node.isTypeOnly,
              start: node.name.getStart(sf),
              end: node.name.end,
            },
          ],
          callee: 'require',
        });
      }
      return false;
    }
    if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      const literal = ts.isLiteralTypeNode(arg) ? stringLiteralOf(arg.literal) : undefined;
      if (literal) {
        const names: ImportedName[] = [];
        if (node.qualifier) {
          let left: ts.EntityName = node.qualifier;
          while (ts.isQualifiedName(left)) left = left.left;
          names.push({
            imported: left.text,
            local: left.text,
            isTypeOnly: true,
            start: left.getStart(sf),
            end: left.end,
          });
        }
        add('import-type-query', literal, node, { typeOnly: true, names });
      }
      // Type arguments may hold further import types.
      return true;
    }
    if (ts.isCallExpression(node)) {
      const first = stringLiteralOf(node.arguments[0]);
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        if (first) add('dynamic-import', first, node, { callee: 'import' });
      } else if (first) {
        const callee = calleeText(node.expression);
        if (callee === 'require' && node.arguments.length === 1) {
          add('require', first, node, { names: requireNames(node, sf), callee });
        } else if (callee && MOCK_CALLEES.has(callee)) {
          add('mock', first, node, { callee });
        }
      }
    }
    return true;
  };

  walkAst(sf, visit);
  return sites;
}
