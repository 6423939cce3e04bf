import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes a throw-away project: `{ 'src/a.ts': '...' }`. Returns its absolute root. */
export function makeProject(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-core-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return fs.realpathSync(root);
}

export function removeProject(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
