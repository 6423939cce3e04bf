import ts from '../typescript.cjs';
import type { TextEdit } from '../types.js';
import { nameConflict, referencesOf, singleFileChecker } from './references.js';

/**
 * Scope-aware renaming of one import binding inside one file, with TypeScript's binder and
 * checker over that file alone (see singleFileChecker). A reference is an identifier whose symbol
 * is the import's alias symbol, so a shadowing local of the same name is never touched. Refuses
 * (returns `conflict`) when the new name is already visible at a reference or spelled as an
 * identifier elsewhere in the file.
 */
export function planLocalRename(
  sf: ts.SourceFile,
  binding: ts.Identifier,
  newName: string,
): { edits: TextEdit[] } | { conflict: string } {
  const checker = singleFileChecker(sf);
  const target = checker.getSymbolAtLocation(binding);
  if (!target) return { conflict: `no symbol for ${binding.text}` };
  const references = referencesOf(sf, checker, binding);
  const conflict = nameConflict(sf, newName, { checker, references, except: target });
  if (conflict) return { conflict };
  const oldName = binding.text;
  const edits = references.map((node): TextEdit => {
    const start = node.getStart(sf);
    const parent = node.parent;
    if (parent && ts.isShorthandPropertyAssignment(parent))
      return { start, end: node.end, text: `${oldName}: ${newName}` };
    if (parent && ts.isExportSpecifier(parent) && !parent.propertyName)
      return { start, end: node.end, text: `${newName} as ${oldName}` };
    return { start, end: node.end, text: newName };
  });
  return { edits };
}
