import * as path from 'node:path';
import type { ResolvedConcept } from '../../src/core/config/types.js';

/** A text test: can this file import the compat layer of one of these concepts? (sound: it must spell it) */
export function mayUseCompat(concepts: readonly ResolvedConcept[]): (text: string) => boolean {
  const needles = concepts.flatMap((c) =>
    c.compat ? [c.compat.path ? path.basename(c.compat.path).replace(/\.[^.]+$/, '') : c.compat.module] : [],
  );
  return (text) => needles.some((n) => text.includes(n));
}
