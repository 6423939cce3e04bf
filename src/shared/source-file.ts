import * as fs from 'node:fs';

export type SourceRead =
  | {
      ok: true;
      text: string;
      bytes: number;
      /** False when the bytes are not valid UTF-8 (only with `allowInvalidUtf8`): the text holds U+FFFD where they were. */
      validUtf8: boolean;
    }
  | { ok: false; reason: string };

/**
 * Reads a file as source text for analysis or rewriting. A file that cannot be read or holds a
 * NUL byte (binary) is a `reason`, never an exception: one odd file must not end the run.
 * A file that is not valid UTF-8 is a reason too, unless `allowInvalidUtf8`: analysis reads it
 * as ESLint does (each invalid sequence becomes U+FFFD; module specifiers and names are intact),
 * while a rewrite must refuse it, since a text round trip would not reproduce its bytes.
 */
export function readSourceFile(file: string, options: { allowInvalidUtf8?: boolean } = {}): SourceRead {
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
  const validUtf8 = !text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(buffer);
  if (!validUtf8 && !options.allowInvalidUtf8) return { ok: false, reason: 'not valid UTF-8' };
  return { ok: true, text, bytes: buffer.length, validUtf8 };
}
