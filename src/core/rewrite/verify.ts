import * as path from 'node:path';
import type { AnalysisContext } from '../analyze.js';
import { analyzeFile } from '../analyze.js';
import type { FileAnalysis } from '../types.js';

/**
 * Checks a rewritten text before it is written: it must parse (TypeScript's parser, by the
 * file's extension) and must not make the module import itself. Returns the problem, if any.
 */
export function verifyRewrite(ctx: AnalysisContext, file: string, before: string, after: string): { ok: true; analysis: FileAnalysis } | { ok: false; error: string } {
  const analysis = analyzeFile(ctx, file, after, { skipPrefilter: true });
  const first = analysis.parseErrors[0];
  if (first) {
    return { ok: false, error: `the rewritten file would not parse (line ${first.line}, column ${first.column}: ${first.message})` };
  }
  const self = path.resolve(file);
  const selfImports = analysis.sites.filter((s) => s.resolution.kind === 'file' && path.resolve(s.resolution.path) === self);
  if (selfImports.length > 0) {
    const previously = analyzeFile(ctx, file, before, { skipPrefilter: true }).sites.filter((s) => s.resolution.kind === 'file' && path.resolve(s.resolution.path) === self).length;
    if (selfImports.length > previously) {
      const s = selfImports[0]!;
      return { ok: false, error: `the rewritten file would import itself ('${s.specifier}' at line ${s.line})` };
    }
  }
  return { ok: true, analysis };
}
