import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportedImplementations, readCanonicalShape, type CanonicalShape } from './canonical-shape.js';
import { DEFAULT_SIMILARITY, resolveConfigModule } from './config/load.js';
import type { ConceptInput, LegacyModuleInput } from './config/types.js';
import { parseFile } from './parse.js';
import ts from './typescript.cjs';
import { behaviourMembers, findRegistries } from './registry.js';
import type { DuplicateFinding } from './types.js';
import { UsageError } from '../shared/errors.js';
import { toPosix } from '../shared/paths.js';

/**
 * `ssot init --canonical <module> [--name <export>]`, the part that decides: the concept a
 * canonical implementation defines (read from its AST), and which of the implementations found
 * are legacy modules to retire. The command runs the analysis in between and writes the file.
 */

export interface CanonicalConcept {
  concept: ConceptInput;
  shape: CanonicalShape;
  /** Repo-relative posix path of the canonical module. */
  module: string;
}

/** `Emitter` -> `emitter`, `MessageRouter` -> `message-router`. */
export function conceptIdFor(name: string): string {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .toLowerCase()
      .replace(/^-+|-+$/g, '') || 'concept'
  );
}

/** Reads the canonical implementation and writes the concept it defines (no legacy modules yet). */
export function conceptFromCanonical(root: string, moduleSpec: string, name?: string, id?: string): CanonicalConcept {
  const resolved = resolveConfigModule(moduleSpec, root);
  if (resolved.kind !== 'path' || !resolved.exists || !resolved.path) {
    throw new UsageError(
      `--canonical: ${moduleSpec} is not a file of ${root} (give the module's path, e.g. src/events/emitter.ts)`,
    );
  }
  if (resolved.isDirectory)
    throw new UsageError(`--canonical: ${moduleSpec} is a folder; name the module file that implements the concept`);
  const file = resolved.path;
  const sf = parseFile(file, fs.readFileSync(file, 'utf8')).sourceFile;
  let shape: CanonicalShape;
  try {
    shape = readCanonicalShape(sf, name);
  } catch (error) {
    throw new UsageError(`--canonical: ${(error as Error).message.replace(file, moduleSpec)}`);
  }
  const module = toPosix(path.relative(root, file));
  const members = shape.members;
  const concept: ConceptInput = {
    id: id ?? conceptIdFor(shape.name),
    description: `${shape.name} (${module}), found by ssot init --canonical`,
    canonical: { module, files: [module], names: [shape.name] },
    detect: {
      names: [shape.name],
      members,
      minMembers: Math.max(2, Math.ceil(members.length / 2)),
      heritage: [shape.name],
      registries: shape.profiles,
      similarity: DEFAULT_SIMILARITY,
    },
  };
  return { concept, shape, module };
}

/** A duplicate found by init, and whether its module becomes a legacy module. */
export interface InitFinding {
  file: string;
  finding: DuplicateFinding;
  /**
   * `module`: the declaration is an implementation of the concept on its own (exported, and its
   * registry is most of what it does): its module is named as a legacy module.
   * `embedded`: a registry inside a larger declaration (a scene that also notifies), or one the
   * module does not export: reported, but its module is not one to retire.
   */
  role: 'module' | 'embedded';
  reason: string;
}

/** Share of a declaration's behaviour (methods) that must touch the registry for it to be the concept itself. */
const STANDALONE_SHARE = 0.5;

export function classifyFindings(root: string, findings: readonly DuplicateFinding[]): InitFinding[] {
  const byFile = new Map<string, DuplicateFinding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const out: InitFinding[] = [];
  for (const [file, list] of byFile) {
    const rel = toPosix(path.relative(root, file));
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      // Gone since the scan: keep its findings, as embedded (no module to name).
    }
    const sf = parseFile(file, text).sourceFile;
    const exported = new Set(exportedImplementations(sf).map((d) => d.name));
    const registries = findRegistries(sf);
    for (const finding of list) {
      const owned = registries.filter(
        (r) =>
          r.owner.name === finding.symbol &&
          sf.getLineAndCharacterOfPosition(r.owner.node.getStart(sf)).line + 1 <= finding.line,
      );
      const behaviour = owned[0] ? behaviourMembers(owned[0].owner) : [];
      const touching = new Set(owned.flatMap((r) => r.touching));
      const share = behaviour.length > 0 ? behaviour.filter((m) => touching.has(m)).length / behaviour.length : 1;
      const copy = finding.signals.some((s) => s.kind === 'copy' || s.kind === 'canonical-name');
      const base = owned[0] ? baseClassOf(owned[0].owner.node, sf) : undefined;
      if (!exported.has(finding.symbol)) {
        out.push({ file: rel, finding, role: 'embedded', reason: 'not exported by its module' });
      } else if (!copy && base) {
        out.push({ file: rel, finding, role: 'embedded', reason: `it extends ${base}: more than the concept` });
      } else if (!copy && share < STANDALONE_SHARE) {
        out.push({
          file: rel,
          finding,
          role: 'embedded',
          reason: `its registry is ${Math.round(share * 100)}% of its ${behaviour.length} methods`,
        });
      } else {
        out.push({
          file: rel,
          finding,
          role: 'module',
          reason: copy
            ? 'a copy of the canonical'
            : `its registry is ${Math.round(share * 100)}% of its ${behaviour.length} methods`,
        });
      }
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.finding.line - b.finding.line));
}

/** The class a declaration extends, as written (a subclass of something else is more than the concept). */
function baseClassOf(node: ts.Node, sf: ts.SourceFile): string | undefined {
  const cls = ts.isClassLike(node)
    ? node
    : ts.isVariableDeclaration(node) && node.initializer && ts.isClassExpression(node.initializer)
      ? node.initializer
      : undefined;
  const clause = cls?.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  return clause?.types[0]?.expression.getText(sf);
}

/** Legacy module entries for the standalone implementations: each name mapped to the canonical name. */
export function legacyModulesOf(findings: readonly InitFinding[], canonicalName: string): LegacyModuleInput[] {
  const byModule = new Map<string, Set<string>>();
  for (const f of findings) {
    if (f.role !== 'module') continue;
    byModule.set(f.file, (byModule.get(f.file) ?? new Set()).add(f.finding.symbol));
  }
  return [...byModule.keys()].sort().map((module) => ({
    module,
    names: Object.fromEntries([...byModule.get(module)!].sort().map((n) => [n, canonicalName])),
  }));
}
