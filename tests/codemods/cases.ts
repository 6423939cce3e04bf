import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from '../helpers/index.js';

export interface CaseMeta {
  args: string[];
  exitCode: number;
  refused?: number;
  failed?: number;
  typecheck?: boolean;
  typecheckReason?: string;
  /** false: `ssot migrate` only (stage 2, or a type-checked stage-1 adaptation); the reason says why. */
  jscodeshift?: boolean;
  jscodeshiftReason?: string;
}

export function listCases(): { name: string; dir: string; meta: CaseMeta }[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({
      name: e.name,
      dir: path.join(FIXTURES, e.name),
      meta: JSON.parse(fs.readFileSync(path.join(FIXTURES, e.name, 'case.json'), 'utf8')) as CaseMeta,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
