import type { ResolvedConfig } from '../src/core/config/types.js';
import { mapLegacyName } from '../src/core/mapping.js';
import { parseFile } from '../src/core/parse.js';
import ts from '../src/core/typescript.cjs';
import { readSourceFile } from '../src/shared/source-file.js';

/**
 * The words whose presence in a file makes its stage-1 rewrite worth a type check: the legacy
 * method names of the concept, and the public members of the legacy classes the run moves to the
 * compat layer (a member the compat layer lacks would not type-check there). A file spelling none of
 * them uses a moved class at most by name (constructs it, passes it, names it in a type).
 */
export function fitWords(config: ResolvedConfig): string[] {
  const words = new Set<string>();
  for (const concept of config.concepts) {
    if (!concept.compat) continue;
    for (const m of concept.detect.members) words.add(m);
    for (const legacy of concept.legacy) {
      if (legacy.kind !== 'path' || !legacy.path || !legacy.exists || legacy.isDirectory) continue;
      const source = readSourceFile(legacy.path);
      if (!source.ok) continue;
      const { sourceFile } = parseFile(legacy.path, source.text, { skipJsDoc: true });
      for (const statement of sourceFile.statements) {
        if (
          !ts.isClassDeclaration(statement) ||
          !statement.name ||
          !mapLegacyName(concept, legacy, statement.name.text)
        )
          continue;
        for (const member of statement.members) {
          const hidden = ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
          if (!hidden && member.name && ts.isIdentifier(member.name)) words.add(member.name.text);
        }
      }
    }
  }
  return [...words];
}

/**
 * A member read (`x.getStats`) or a call (`broadcastToUser(`) of one of `fitWords`: the text test
 * for "this file may call something the compat layer lacks". Undefined when there are no words.
 */
export function fitPattern(config: ResolvedConfig): RegExp | undefined {
  const words = fitWords(config);
  if (words.length === 0) return undefined;
  const alternatives = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(`\\.\\s*(?:${alternatives})\\b|\\b(?:${alternatives})\\s*\\(`);
}
