import * as fs from 'node:fs';
import type { MigrationContext } from './import-migration.js';
import ts from '../src/core/typescript.cjs';
import { readSourceFile } from '../src/shared/source-file.js';

/**
 * Which files a stage-1 rewrite can break through what they import: the member callers (project
 * files that read or call a member the compat layer may lack, `callsMembers`) and every project
 * file they reach through imports, directly or through any number of files between (a
 * re-exporting index, a module that returns an instance it imported). A rewrite changes the types a
 * file exports only where they derive from a moved name, and such a change can break only code that
 * reads or calls members of them, so a rewritten file that no member caller reaches cannot break
 * an importer; one that a caller reaches is type-checked with its callers (compat-fit.ts).
 *
 * The graph is walked forward from the callers, so only their import closure is scanned, not the
 * repository: import specifiers come from TypeScript's pre-processor (a scan of the import, export,
 * require and import() forms, no parse), resolved by the core's resolver as the analysis resolves
 * them (tsconfig `paths`, workspace packages). Installed packages and files outside `projectFiles`
 * end the walk.
 */
export interface MemberCallerReach {
  /** The member callers. */
  callers: ReadonlySet<string>;
  /** Every file some caller reaches through at least one import (callers included when another reaches them). */
  reached: ReadonlySet<string>;
  /**
   * The callers that reach `file` through at least one import (never `file` itself), and every file
   * on the import paths between them (the checker must load those for the callers to see `file`).
   */
  callersOf(file: string): { callers: Set<string>; via: Set<string> };
}

export function memberCallerReach(
  mctx: MigrationContext,
  projectFiles: readonly string[],
  callsMembers: (file: string, text: string) => boolean,
  /**
   * Words one of which a caller's text must hold (a necessary condition, tested on the bytes read
   * as Latin-1 before any UTF-8 decoding: the words are ASCII, and an ASCII byte is the same
   * character in both); undefined: every file is decoded and asked.
   */
  words?: readonly string[],
): MemberCallerReach {
  const inProject = new Set(projectFiles);
  const texts = new Map<string, string>();
  const callers = new Set<string>();
  const mayHold = words && new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  for (const file of projectFiles) {
    if (mayHold) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch {
        continue;
      }
      if (!mayHold.test(bytes.toString('latin1'))) continue;
    }
    const text = readText(file);
    if (text === undefined || !callsMembers(file, text)) continue;
    callers.add(file);
    texts.set(file, text);
  }
  const resolver = mctx.ctx.resolver;
  const importedBy = new Map<string, string[]>();
  const visited = new Set<string>();
  const queue = [...callers];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (visited.has(file)) continue;
    visited.add(file);
    const text = texts.get(file) ?? readText(file);
    texts.delete(file);
    if (text === undefined) continue;
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const resolution = resolver.resolve(ref.fileName, file);
      if (resolution.kind !== 'file' || resolution.isExternalLibrary) continue;
      const target = resolution.path;
      if (target === file || !inProject.has(target)) continue;
      const by = importedBy.get(target);
      if (by) by.push(file);
      else importedBy.set(target, [file]);
      if (!visited.has(target)) queue.push(target);
    }
  }
  const reached = new Set(importedBy.keys());
  const callersOf = (file: string): { callers: Set<string>; via: Set<string> } => {
    const found = new Set<string>();
    const seen = new Set<string>([file]);
    const stack = [...(importedBy.get(file) ?? [])];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      if (callers.has(f)) found.add(f);
      stack.push(...(importedBy.get(f) ?? []));
    }
    // Every file the reverse walk met reaches `file`, and a caller reaches it (the graph holds only
    // what the walk from the callers found): each lies on a path from a caller to `file`.
    seen.delete(file);
    return { callers: found, via: seen };
  };
  return { callers, reached, callersOf };
}

function readText(file: string): string | undefined {
  const source = readSourceFile(file);
  return source.ok ? source.text : undefined;
}
