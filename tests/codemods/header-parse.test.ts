// `ssot migrate` plans from a file's import header when that suffices (src/core/header.ts): the
// result must be byte for byte the result of planning from the whole file, on every codemod
// fixture (every form, --rename, broken files), the demo app and a generated corpus.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the corpus generator is plain JavaScript without types
import { generateCorpus } from '../../bench/corpus/generate.mjs';
import { createMigrationContext, migrateText } from '../../codemods/import-migration.js';
import { resolveConfig } from '../../src/core/config/load.js';
import { listFiles } from '../../src/core/files.js';
import { cleanup, DEMO, tempDir } from '../helpers/index.js';
import { listCases } from './cases.js';

afterAll(cleanup);

/** Migrates every file of a project both ways; returns how many files took the header. */
function compareBothWays(root: string, rename = false): { files: number; header: number } {
  const config = resolveConfig(JSON.parse(fs.readFileSync(path.join(root, 'ssot.config.json'), 'utf8')), root);
  const withHeader = createMigrationContext(config);
  const whole = createMigrationContext(config, { headerParse: false });
  let files = 0;
  let header = 0;
  for (const file of listFiles(config).files) {
    const text = fs.readFileSync(file, 'utf8');
    const a = migrateText(withHeader, file, text, { rename });
    const b = migrateText(whole, file, text, { rename });
    const { tree, ...rest } = a;
    const { tree: wholeTree, ...expected } = b;
    expect(wholeTree === undefined || wholeTree === 'whole').toBe(true);
    expect(rest, path.relative(root, file)).toEqual(expected);
    if (tree === 'header') header++;
    if (a.parsed) files++;
  }
  return { files, header };
}

describe('planning from the import header', () => {
  it('gives the same result as the whole file on every codemod fixture', () => {
    let header = 0;
    for (const c of listCases())
      header += compareBothWays(path.join(c.dir, 'input'), c.meta.args.includes('--rename')).header;
    expect(header).toBeGreaterThan(5);
  });

  it('gives the same result on the demo app and a generated corpus, and is used there', () => {
    compareBothWays(DEMO);
    const dir = tempDir('header-corpus');
    generateCorpus({ outDir: dir, size: 'tiny', seed: 3 });
    const { files, header } = compareBothWays(dir);
    expect(files).toBeGreaterThan(5);
    expect(header).toBeGreaterThan(0);
  });
});

describe('a literal that only the text scan sees', () => {
  it("a quoted module name inside a comment is no site: the header suffices and the plan is the whole file's", () => {
    const config = resolveConfig(JSON.parse(fs.readFileSync(path.join(DEMO, 'ssot.config.json'), 'utf8')), DEMO);
    const withHeader = createMigrationContext(config);
    const whole = createMigrationContext(config, { headerParse: false });
    const file = path.join(DEMO, 'src/handlers/commented.ts');
    const texts = [
      // Only in comments: nothing to do, and no full parse for it.
      "// was: import { MessageRouter } from '../websocket/message-router';\nexport const x = 1;\n",
      "/** see `'../websocket/message-router'` */\nexport function f(): void {}\n",
      // A comment before a real import, and one after it.
      "/* '../websocket/message-router' */\nimport { MessageRouter } from '../websocket/message-router';\n" +
        "// '../websocket/message-router'\nexport const r = new MessageRouter();\n",
    ];
    for (const text of texts) {
      expect(withHeader.prefilter.mayMatch(text, file)).toBe(true);
      const { tree, ...rest } = migrateText(withHeader, file, text, {});
      const { tree: _whole, ...expected } = migrateText(whole, file, text, {});
      expect(rest, text).toEqual(expected);
      expect(tree, text).toBe('header');
    }
  });
});
