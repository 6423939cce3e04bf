import * as path from 'node:path';
import type { AnalysisContext } from '../analyze.js';
import { collectImportSites } from '../inventory.js';
import { parseFile } from '../parse.js';
import type { ImportForm } from '../types.js';

function selfImports(ctx: AnalysisContext, file: string, text: string): { specifier: string; line: number }[] {
  const { sourceFile } = parseFile(file, text, { skipJsDoc: true });
  const out: { specifier: string; line: number }[] = [];
  for (const site of collectImportSites(sourceFile)) {
    const r = ctx.resolver.resolve(site.specifier, file, site.form);
    if (r.kind === 'file' && path.resolve(r.path) === file) out.push({ specifier: site.specifier, line: site.line });
  }
  return out;
}

/**
 * Checks a rewritten text before it is written: it must parse (TypeScript's parser, by the
 * file's extension) and must not make the module import itself (the core's resolver decides).
 * Pass `specifiers` (FilePlan.specifiers: what the edits wrote) for the fast check: only those
 * are resolved; without it every import site of the output is.
 */
export function verifyRewrite(
  ctx: AnalysisContext,
  file: string,
  before: string,
  after: string,
  options: { specifiers?: readonly string[] } = {},
): { ok: true } | { ok: false; error: string } {
  const self = path.resolve(file);
  const { errors } = parseFile(self, after, { skipJsDoc: true, parents: false });
  const firstError = errors[0];
  if (firstError) {
    return { ok: false, error: `the rewritten file would not parse (line ${firstError.line}, column ${firstError.column}: ${firstError.message})` };
  }
  if (options.specifiers) {
    const forms: ImportForm[] = ['import', 'require'];
    for (const specifier of options.specifiers) {
      for (const form of forms) {
        const r = ctx.resolver.resolve(specifier, self, form);
        if (r.kind === 'file' && path.resolve(r.path) === self) return { ok: false, error: `the rewritten file would import itself ('${specifier}')` };
      }
    }
    return { ok: true };
  }
  const now = selfImports(ctx, self, after);
  if (now.length > 0 && now.length > selfImports(ctx, self, before).length) {
    return { ok: false, error: `the rewritten file would import itself ('${now[0]!.specifier}' at line ${now[0]!.line})` };
  }
  return { ok: true };
}
