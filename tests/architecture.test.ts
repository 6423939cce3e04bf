// The layering of docs/architecture.md, checked on the import graph: every import, export-from,
// dynamic import() and require() of a relative module in src/, rules/ and codemods/, read with
// TypeScript's parser (type-only imports count too: they couple the layers just the same).
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/index.js';

/** The layer of a repo-relative path, or undefined outside the checked folders. */
function layerOf(rel: string): string | undefined {
  const m = /^(src\/(?:shared|core|engine|report|migrate|cli|router)|rules|codemods)\//.exec(rel);
  return m?.[1];
}

/** Which layers each layer may import (itself always). Adapters -> report/migrate -> engine -> core -> shared. */
const ALLOWED: Record<string, readonly string[]> = {
  'src/shared': [],
  'src/core': ['src/shared'],
  'src/engine': ['src/core', 'src/shared'],
  codemods: ['src/core', 'src/shared'],
  'src/report': ['src/engine', 'src/core', 'src/shared'],
  'src/migrate': ['codemods', 'src/engine', 'src/core', 'src/shared'],
  'src/cli': ['src/report', 'src/migrate', 'src/engine', 'src/core', 'src/shared'],
  rules: ['src/core', 'src/shared'],
  // The product runtime: its legacy-name table is shared data; it needs nothing of the tooling.
  'src/router': ['src/shared'],
};

function sourceFiles(): string[] {
  const out: string[] = [];
  for (const top of ['src', 'rules', 'codemods']) {
    for (const entry of fs.readdirSync(path.join(REPO, top), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && /\.(c|m)?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push(path.join(entry.parentPath, entry.name));
      }
    }
  }
  return out.sort();
}

/** Relative module specifiers of a file, in every form that loads or names a module. */
function relativeSpecifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    let spec: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      spec = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) spec = node.arguments[0];
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) spec = node.argument.literal;
    if (spec && ts.isStringLiteralLike(spec) && spec.text.startsWith('.')) out.push(spec.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function importEdges(): { from: string; to: string; spec: string }[] {
  const edges: { from: string; to: string; spec: string }[] = [];
  for (const file of sourceFiles()) {
    const from = path.relative(REPO, file).split(path.sep).join('/');
    for (const spec of relativeSpecifiers(file)) {
      const to = path
        .relative(REPO, path.resolve(path.dirname(file), spec))
        .split(path.sep)
        .join('/');
      edges.push({ from, to, spec });
    }
  }
  return edges;
}

describe('architecture: imports flow one way', () => {
  const edges = importEdges();

  it('reads the import graph (the check below has edges to judge)', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => layerOf(e.from) === 'src/cli' && layerOf(e.to) === 'src/report')).toBe(true);
  });

  it('every import goes to the same layer or one the layer may import', () => {
    const wrong = edges
      .filter((e) => {
        const from = layerOf(e.from);
        const to = layerOf(e.to);
        if (!from || !to || from === to) return false;
        return !(ALLOWED[from] ?? []).includes(to);
      })
      .map((e) => `${e.from} imports ${e.spec} (${layerOf(e.to)})`);
    expect(wrong).toEqual([]);
  });

  it('nothing imports from outside the checked folders except package.json', () => {
    const outside = edges
      .filter((e) => !layerOf(e.to) && !e.to.endsWith('package.json'))
      .map((e) => `${e.from} -> ${e.spec}`);
    expect(outside).toEqual([]);
  });

  it('the rule itself catches a wrong arrow', () => {
    // The same predicate on made-up edges: core -> router and report -> cli are refused.
    const refused = (from: string, to: string): boolean => !(ALLOWED[layerOf(from)!] ?? []).includes(layerOf(to)!);
    expect(refused('src/core/a.ts', 'src/router/b.ts')).toBe(true);
    expect(refused('src/report/a.ts', 'src/cli/b.ts')).toBe(true);
    expect(refused('src/cli/a.ts', 'src/report/b.ts')).toBe(false);
  });
});
