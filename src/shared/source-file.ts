import * as fs from 'node:fs';

export type SourceRead =
  | { ok: true; text: string; bytes: number }
  | { ok: false; reason: string };

/**
 * Reads a file as source text for analysis or rewriting. A file that cannot be read, holds a
 * NUL byte (binary) or is not valid UTF-8 is a `reason`, never an exception: one odd file must
 * not end the run, and bytes a text round trip cannot reproduce must never be rewritten.
 */
export function readSourceFile(file: string): SourceRead {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (error) {
    return { ok: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  if (buffer.includes(0)) return { ok: false, reason: 'binary file (contains a NUL byte)' };
  const text = buffer.toString('utf8');
  // toString replaces invalid sequences with U+FFFD; a file that holds U+FFFD itself re-encodes
  // to the same bytes, so the comparison is only needed when the replacement character appears.
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(buffer)) {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  return { ok: true, text, bytes: buffer.length };
}
