import { createHash } from 'node:crypto';
import ts from './typescript.cjs';

/**
 * Code with comments and layout removed: the token stream joined by single spaces. Two copies
 * that differ only in whitespace, line endings or comments normalise to the same text.
 */
export function normaliseCode(text: string, languageVariant: ts.LanguageVariant = ts.LanguageVariant.Standard): string {
  return codeTokens(text, languageVariant).join(' ');
}

/** The token texts of a piece of code, without comments and whitespace. */
export function codeTokens(text: string, languageVariant: ts.LanguageVariant = ts.LanguageVariant.Standard): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, languageVariant, text);
  const tokens: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push(scanner.getTokenText());
  }
  return tokens;
}

/**
 * A content fingerprint: stable when lines move above a finding, different when the finding's
 * code changes. Built from the rule, the concept, the repo-relative file, the symbol and a hash
 * of the normalised code, never from line numbers.
 */
export function fingerprint(parts: {
  rule: string;
  conceptId: string;
  file: string;
  symbol: string;
  code: string;
}): string {
  const codeHash = createHash('sha256').update(normaliseCode(parts.code)).digest('hex').slice(0, 16);
  return createHash('sha256')
    .update([parts.rule, parts.conceptId, parts.file, parts.symbol, codeHash].join('\0'))
    .digest('hex')
    .slice(0, 32);
}
