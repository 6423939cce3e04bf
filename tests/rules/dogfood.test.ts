import * as path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO as REPO_ROOT } from '../helpers/index.js';

// The repo lints itself with its own recommended config (eslint.config.js at the root).
describe('dogfooding: ESLint on this repo with the plugin', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it('lints src/, rules/ and codemods/ with zero errors', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const results = await eslint.lintFiles(['.']);
    const linted = results.map((r) => path.relative(REPO_ROOT, r.filePath).split(path.sep)[0]);
    // The config is live: all three folders are linted, fixtures and dist are not.
    expect(new Set(linted)).toEqual(new Set(['src', 'rules', 'codemods']));
    expect(results.length).toBeGreaterThan(30);
    const errors = results.flatMap((r) =>
      r.messages
        .filter((m) => m.severity === 2)
        .map((m) => `${path.relative(REPO_ROOT, r.filePath)}:${m.line} ${m.ruleId} ${m.message}`),
    );
    expect(errors).toEqual([]);
  });

  it('would catch a second message router outside src/router', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const code = [
      'export class ShadowMessageRouter {',
      '  private readonly handlers = new Map<string, ((message: unknown) => void)[]>();',
      '  addHandler(type: string, handler: (message: unknown) => void): void {',
      '    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);',
      '  }',
      '  routeMessage(type: string, message: unknown): void {',
      '    for (const handler of this.handlers.get(type) ?? []) handler(message);',
      '  }',
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, 'src/engine/shadow-router.ts') });
    expect(result?.messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(['1 ssot/no-duplicate-implementation']);
    // The canonical folder may define it.
    const [inRouter] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, 'src/router/shadow-router.ts') });
    expect(inRouter?.messages).toEqual([]);
  });
});
