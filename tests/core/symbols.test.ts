import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile } from '../../src/core/parse.js';
import { ModuleResolver } from '../../src/core/resolve.js';
import { SymbolResolver } from '../../src/core/symbols.js';
import { cleanup, makeProject, read } from '../helpers/index.js';

afterAll(cleanup);

describe('SymbolResolver: a name followed across files, the checker on the files involved only', () => {
  const root = makeProject({
    'src/events/emitter.ts':
      'export class Emitter<T> { fire(e: T): void {} }\nexport interface Entry { fn: (e: number) => void; run(): void }\nexport class Task { fn: () => void = () => {}; }\n',
    'src/events/index.ts': "export * from './emitter';\nexport { Emitter as Default } from './emitter';\n",
    'src/shared/base.ts': "import { Emitter } from '../events';\nexport { Emitter as BaseEmitter };\n",
    'src/app/x.ts':
      "import { BaseEmitter as B } from '../shared/base';\nimport type { Entry, Task } from '../events';\nexport class X extends B<string> {}\nlet e: Entry; let t: Task;\n",
    'src/unrelated/big.ts': "import './never-read';\nexport const big = 1;\n",
  });
  const symbols = new SymbolResolver(new ModuleResolver(root));
  const file = path.join(root, 'src/app/x.ts');
  const sf = parseFile(file, read(root, 'src/app/x.ts')).sourceFile;

  it('follows an alias, an `import`+`export {}` pair and a barrel `export *` to the declaration', () => {
    const chased = symbols.chase(file, '../shared/base', 'BaseEmitter')!;
    expect(chased.declaration).toEqual({ file: path.join(root, 'src/events/emitter.ts'), name: 'Emitter' });
    expect(chased.files.map((f) => path.relative(root, f)).sort()).toEqual([
      'src/app/x.ts',
      'src/events/emitter.ts',
      'src/events/index.ts',
      'src/shared/base.ts',
    ]);
  });

  it('the checker, on those files only, names the same declaration for the base class expression', () => {
    const chased = symbols.chase(file, '../shared/base', 'BaseEmitter')!;
    const position = sf.text.indexOf('B<string>');
    expect(symbols.checkerDeclaration(sf, chased.files, position)).toEqual({
      file: path.join(root, 'src/events/emitter.ts'),
      name: 'Emitter',
    });
  });

  it("tells a record type's function property from a method, and a class instance's properties as methods", () => {
    const entry = symbols.chase(file, '../events', 'Entry')!;
    const at = (text: string) => sf.text.indexOf(text);
    expect(symbols.checkerPropertyKind(sf, entry.files, at('Entry;'), 'fn')).toBe('function');
    expect(symbols.checkerPropertyKind(sf, entry.files, at('Entry;'), 'run')).toBe('method');
    expect(symbols.checkerPropertyKind(sf, entry.files, at('Task;'), 'fn')).toBe('method');
  });

  it('a specifier that resolves nowhere has no declaration', () => {
    expect(symbols.chase(file, '../missing', 'X')).toBeUndefined();
  });
});
