import ts from './typescript.cjs';
import type { ResolvedConcept } from './config/types.js';
import { fingerprint } from './fingerprint.js';
import type { DeclarationKind, DuplicateFinding, DuplicateSignal, ImportSite } from './types.js';
import { compileUserRegex, parseRegexLiteral } from './user-regex.js';
import { walkAst } from './walk.js';

export const DUPLICATE_RULE_ID = 'no-duplicate-implementation';

/** A compiled `detect.names` entry: an exact name or a `/regex/flags`. */
interface NamePattern {
  source: string;
  test(name: string): boolean;
}

export function compileNamePatterns(names: readonly string[]): NamePattern[] {
  return names.map((source) => {
    const literal = parseRegexLiteral(source);
    if (literal) {
      // Linear-time matching whatever the pattern (see compileUserRegex); the config refused what it cannot run.
      const re = compileUserRegex(literal.source, literal.flags);
      return { source, test: (name: string) => re.test(name) };
    }
    return { source, test: (name: string) => name === source };
  });
}

interface Declaration {
  name: string;
  kind: DeclarationKind;
  /** The node whose text is fingerprinted. */
  node: ts.Node;
  /** The node the finding points at (the name). */
  nameNode: ts.Node;
  /** Member names for shape matching. */
  members: string[];
  heritage: { clause: 'extends' | 'implements'; expression: ts.Expression }[];
}

function propertyNameText(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text.replace(/^#/, '');
  }
  return undefined;
}

function classMembers(node: ts.ClassLikeDeclaration): string[] {
  const out: string[] = [];
  for (const member of node.members) {
    if (ts.isConstructorDeclaration(member) || ts.isIndexSignatureDeclaration(member) || ts.isClassStaticBlockDeclaration(member)) continue;
    const name = propertyNameText(member.name);
    if (name) out.push(name);
  }
  return out;
}

function objectMembers(node: ts.ObjectLiteralExpression): string[] {
  const out: string[] = [];
  for (const prop of node.properties) {
    if (ts.isSpreadAssignment(prop)) continue;
    const name = ts.isShorthandPropertyAssignment(prop) ? prop.name.text : propertyNameText(prop.name);
    if (name) out.push(name);
  }
  return out;
}

function heritageOf(node: ts.ClassLikeDeclaration): Declaration['heritage'] {
  const out: Declaration['heritage'] = [];
  for (const clause of node.heritageClauses ?? []) {
    const kind = clause.token === ts.SyntaxKind.ExtendsKeyword ? 'extends' : 'implements';
    for (const type of clause.types) out.push({ clause: kind, expression: type.expression });
  }
  return out;
}

function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** Every declaration that can implement a concept: classes, functions, const-bound functions and objects. */
function collectDeclarations(sf: ts.SourceFile): Declaration[] {
  const out: Declaration[] = [];
  // An explicit-stack walk (walkAst): expressions nest as deep as the source makes them.
  walkAst(sf, (node) => {
    if (ts.isClassDeclaration(node)) {
      const nameNode = node.name ?? node;
      out.push({
        name: node.name?.text ?? 'default',
        kind: 'class',
        node,
        nameNode,
        members: classMembers(node),
        heritage: heritageOf(node),
      });
    } else if (ts.isFunctionDeclaration(node) && node.body) {
      out.push({ name: node.name?.text ?? 'default', kind: 'function', node, nameNode: node.name ?? node, members: [], heritage: [] });
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = unwrap(node.initializer);
      const name = node.name.text;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        out.push({ name, kind: 'const-function', node, nameNode: node.name, members: [], heritage: [] });
      } else if (ts.isObjectLiteralExpression(init)) {
        out.push({ name, kind: 'const-object', node, nameNode: node.name, members: objectMembers(init), heritage: [] });
      } else if (ts.isClassExpression(init)) {
        // The class expression itself is no declaration of its own (the walk only takes class
        // declarations), so walking into it finds just what its members hold.
        out.push({ name, kind: 'class', node, nameNode: node.name, members: classMembers(init), heritage: heritageOf(init) });
      }
    }
  });
  return out;
}

/** The name a heritage expression refers to, followed through the file's import aliases. */
function heritageName(expr: ts.Expression, importedByLocal: Map<string, string>): string | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return importedByLocal.get(e.text) ?? e.text;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) return e.name.text; // ns.MessageRouter
  return undefined;
}

export interface DetectOptions {
  /** Repo-relative posix path, used in fingerprints so they match across machines. */
  relativeFile: string;
  /** The file's import sites (for following aliases in heritage clauses). */
  sites: readonly ImportSite[];
}

/**
 * Duplicate detection for one concept in one file, on syntax and symbols only: declared names
 * that match the concept's patterns, a second declaration of a canonical name, a class or
 * object with enough of the concept's members (even under an unrelated name), and classes that
 * extend or implement a legacy or canonical type. The caller skips canonical and allowed files.
 */
export function detectDuplicates(
  sf: ts.SourceFile,
  concept: ResolvedConcept,
  options: DetectOptions,
  patterns: NamePattern[] = compileNamePatterns(concept.detect.names),
): DuplicateFinding[] {
  const importedByLocal = new Map<string, string>();
  for (const site of options.sites) {
    for (const n of site.names) if (n.imported !== '*' && n.imported !== 'default') importedByLocal.set(n.local, n.imported);
  }
  const memberSet = new Set(concept.detect.members);
  const heritage = new Set(concept.detect.heritage);
  const canonicalNames = new Set(concept.canonical.names);
  const findings: DuplicateFinding[] = [];

  for (const decl of collectDeclarations(sf)) {
    const signals: DuplicateSignal[] = [];
    if (canonicalNames.has(decl.name)) signals.push({ kind: 'canonical-name', name: decl.name });
    const byName = patterns.find((p) => p.test(decl.name));
    if (byName && !canonicalNames.has(decl.name)) signals.push({ kind: 'name', pattern: byName.source });
    if (memberSet.size > 0 && decl.members.length > 0) {
      const matched = [...new Set(decl.members.filter((m) => memberSet.has(m)))];
      if (matched.length >= concept.detect.minMembers) {
        signals.push({ kind: 'shape', matched, total: memberSet.size, required: concept.detect.minMembers });
      }
    }
    for (const h of decl.heritage) {
      const typeName = heritageName(h.expression, importedByLocal);
      if (typeName && heritage.has(typeName)) signals.push({ kind: 'heritage', clause: h.clause, typeName });
    }
    if (signals.length === 0) continue;
    const start = decl.nameNode.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    findings.push({
      conceptId: concept.id,
      file: sf.fileName,
      line: line + 1,
      column: character + 1,
      start,
      end: decl.nameNode.end,
      symbol: decl.name,
      declarationKind: decl.kind,
      signals,
      fingerprint: fingerprint({
        rule: DUPLICATE_RULE_ID,
        conceptId: concept.id,
        file: options.relativeFile,
        symbol: decl.name,
        code: decl.node.getText(sf),
      }),
    });
  }
  return findings;
}

/** One line of evidence per signal, for messages and reports. */
export function describeSignal(signal: DuplicateSignal): string {
  switch (signal.kind) {
    case 'name':
      return `name matches ${signal.pattern}`;
    case 'canonical-name':
      return `declares the canonical name ${signal.name} again`;
    case 'shape':
      return `shares ${signal.matched.length} of ${signal.total} members: ${signal.matched.join(', ')}`;
    case 'heritage':
      return `${signal.clause} ${signal.typeName}`;
  }
}
