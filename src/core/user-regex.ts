import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';

/**
 * re2js, loaded the first time a config's regular expression is compiled: most configs have none,
 * and every command loads the config at start-up.
 */
let re2js: typeof RE2JSClass | undefined;
function RE2(): typeof RE2JSClass {
  return (re2js ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS);
}

/** A regular expression from the config, compiled to run in time linear in its input. */
export interface UserRegex {
  source: string;
  test(text: string): boolean;
}

/** A `/source/flags` literal as the config spells one in `detect.names`, or undefined for a plain name. */
export function parseRegexLiteral(text: string): { source: string; flags: string } | undefined {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
  return m ? { source: m[1] ?? '', flags: m[2] ?? '' } : undefined;
}

const KNOWN_FLAGS = new Set(['g', 'i', 'm', 's', 'u', 'y', 'd', 'v']);

/**
 * Compiles a regular expression written by a user (`detect.names`, `pattern.regex`) with RE2's
 * engine (re2js): matching takes time linear in the input whatever the pattern, so a pattern
 * with nested quantifiers (`(a+)+$`) cannot hang a report, a check or an editor. The price is
 * RE2's syntax: no lookaround and no backreferences; such a pattern throws, with the reason, and
 * the config loader refuses it with its key path. Flags: `i`, `m`, `s` as in JavaScript; `g`,
 * `y`, `u`, `d`, `v` do not change whether a name matches and are ignored.
 */
export function compileUserRegex(source: string, flags = ''): UserRegex {
  for (const f of flags) if (!KNOWN_FLAGS.has(f)) throw new Error(`unknown flag "${f}"`);
  const RE2JS = RE2();
  let options = 0;
  if (flags.includes('i')) options |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) options |= RE2JS.MULTILINE;
  if (flags.includes('s')) options |= RE2JS.DOTALL;
  let re: RE2JSClass;
  try {
    re = RE2JS.compile(source, options);
  } catch (error) {
    const why = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new Error(`${why} (patterns run on RE2's linear-time engine: no lookaround, no backreferences)`);
  }
  return { source, test: (text) => re.test(text) };
}
