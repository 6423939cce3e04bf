import * as v8 from 'node:v8';
import * as vm from 'node:vm';
// Before oxc-parser: it sets the native allocator's options (see the module).
import './native-allocator.js';
import { parseSync } from 'oxc-parser';
import { parseFile, type ParsedFile } from './parse.js';

/**
 * oxc's result keeps its native memory (many times the source's size) until V8 collects the small
 * JS object that holds it, and V8, which does not see that memory, sees no reason to collect:
 * migrating a few MB of candidates in one thread left some hundred MB behind. So after every
 * OXC_SOURCE_PER_GC of source parsed, a full collection frees it; V8's `gc` is taken from a fresh
 * context after --expose-gc is set (what `node --expose-gc` does at start), and the flag is unset
 * again at once: V8 stamps a code cache with a hash of its flags, so TypeScript's code cache
 * written at the end of such a run (typescript-loader.cts) would be rejected by every process that
 * starts without the flag, and each run would compile TypeScript anew and write the cache again.
 */
const OXC_SOURCE_PER_GC = 2 * 1024 * 1024;
let oxcSourceSinceGc = 0;
let collect: (() => void) | null | undefined;

function collectOxcResults(): void {
  if (collect === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (exposed) collect = exposed;
      else {
        v8.setFlagsFromString('--expose-gc');
        try {
          collect = vm.runInNewContext('gc') as () => void;
        } finally {
          v8.setFlagsFromString('--no-expose-gc');
        }
      }
    } catch {
      collect = null;
    }
  }
  collect?.();
}

/** Whether an offset lies inside one of the comments (oxc gives them sorted by position). */
function commentTest(comments: readonly { start: number; end: number }[]): (offset: number) => boolean {
  return (offset) => {
    let lo = 0;
    let hi = comments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = comments[mid]!;
      if (offset < c.start) hi = mid - 1;
      else if (offset >= c.end) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

/**
 * A parse of the part of a file that holds its module references, for a rewrite that needs no
 * more (`ssot migrate` on files whose sites are all import/export declarations): TypeScript's
 * parser then reads a few hundred bytes instead of the whole file, which on a real repository is
 * most of what migrating a candidate costs (bench/ and docs/benchmarks.md).
 *
 * `literals`: the offsets of every string literal of the file that can name a configured module
 * (Prefilter.shapedLiterals; any site is one of them). The header is used only when:
 * - oxc's parser (native, from npm: no JIT warm-up) reads the whole file without a syntax error,
 *   so the file is known to parse (TypeScript's parser still reads the header, and the caller
 *   falls back to a full TypeScript parse whenever oxc finds an error, for TypeScript's message);
 * - each of those literals that is not inside a comment (oxc's comment spans) is the module
 *   specifier of a top-level static import or export declaration (oxc's module record), so every
 *   site the rewrite can touch is in the header;
 * - the header, cut at the end of the last such declaration (and of any later import of the
 *   migration target, which the planner may extend), parses with TypeScript without an error.
 * The tree holds every statement before the cut exactly as a full parse would: each is complete,
 * and what follows the cut cannot change how an ended top-level declaration parses.
 * Returns a reason instead when the file needs the full parse.
 */
export function parseHeader(
  file: string,
  text: string,
  literals: readonly number[],
  targets: readonly string[],
): { parsed: ParsedFile; cut: number } | { reason: string } {
  oxcSourceSinceGc += text.length;
  if (oxcSourceSinceGc >= OXC_SOURCE_PER_GC) {
    oxcSourceSinceGc = 0;
    collectOxcResults();
  }
  let result;
  try {
    result = parseSync(file, text);
  } catch (error) {
    return { reason: `oxc: ${(error as Error).message}` };
  }
  if (result.errors.length > 0) return { reason: 'syntax error (oxc)' };
  const { staticImports, staticExports } = result.module;
  /** Opening-quote offset of a declaration's specifier -> the end of the declaration. */
  const ends = new Map<number, number>();
  for (const i of staticImports) ends.set(i.moduleRequest.start, i.end);
  for (const e of staticExports)
    for (const entry of e.entries) if (entry.moduleRequest) ends.set(entry.moduleRequest.start, e.end);
  let cut = 0;
  // A quote inside a comment only looks like a literal to the text scan (Prefilter.shapedLiterals
  // does not pair quotes); oxc's comment spans prove it is none, so it cannot be a site. Only a
  // literal that is no declaration's specifier needs them: oxc makes an object and a string of
  // every comment (a licence header is most of a header's bytes), so they are asked for only then.
  let inComment: ((offset: number) => boolean) | undefined;
  for (const offset of literals) {
    const end = ends.get(offset);
    if (end !== undefined) cut = Math.max(cut, end);
    else if (!(inComment ??= commentTest(result.comments))(offset))
      return { reason: 'a module literal outside an import/export declaration' };
  }
  // An import of the target after the cut is one the planner may extend: keep it in the header.
  for (const i of staticImports) if (targets.some((t) => i.moduleRequest.value.includes(t))) cut = Math.max(cut, i.end);
  // cut 0: every literal was in a comment and no import of the target: no site; the empty header is the tree.
  const parsed = parseFile(file, text.slice(0, cut), { skipJsDoc: true, parents: 'sites' });
  if (parsed.errors.length > 0) return { reason: 'the header does not parse alone' };
  return { parsed, cut };
}
