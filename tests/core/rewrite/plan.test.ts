import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile, createAnalysisContext, loadConfig } from '../../../src/core/index.js';
import { applyEdits, planFileRewrite, planSiteRewrite, verifyRewrite } from '../../../src/core/rewrite/index.js';
import { unifiedDiff } from '../../../src/migrate/diff.js';
import { parseFile } from '../../../src/core/parse.js';
import { copyDir, FIXTURES, tempDir } from '../../helpers/index.js';

function setup(caseName: string, file: string, text?: string) {
  const work = tempDir(`plan-${caseName}`);
  copyDir(path.join(FIXTURES, caseName, 'input'), work);
  const abs = path.join(work, file);
  if (text !== undefined) fs.writeFileSync(abs, text);
  const ctx = createAnalysisContext(loadConfig({ cwd: work }));
  const source = fs.readFileSync(abs, 'utf8');
  return { ctx, abs, source, analysis: analyzeFile(ctx, abs, source) };
}

describe('applyEdits', () => {
  it('splices by offsets into the original text, inserts keep their order', () => {
    expect(
      applyEdits('abcdef', [
        { start: 4, end: 6, text: 'X' },
        { start: 0, end: 1, text: '' },
        { start: 2, end: 2, text: '1' },
        { start: 2, end: 2, text: '2' },
      ]),
    ).toBe('b12cdX');
  });
  it('rejects overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 0, end: 3, text: '' },
        { start: 2, end: 4, text: '' },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe('planSiteRewrite (the ESLint autofix entry point)', () => {
  it('says what it decided as a code, not only in words: a site that is not legacy', () => {
    const { ctx, source, analysis } = setup('merge-existing', 'src/app.ts');
    const other = analysis.sites.find((s) => s.target.kind !== 'legacy');
    if (other) expect(planSiteRewrite(ctx, analysis, other, source).decision).toBe('not-legacy');
    const legacy = analysis.sites.find((s) => s.target.kind === 'legacy')!;
    const internal = { ...legacy, target: { ...legacy.target, internal: true } } as typeof legacy;
    expect(planSiteRewrite(ctx, analysis, internal, source)).toMatchObject({ decision: 'internal', edits: [] });
  });

  it('plans one site with the same decisions as the file plan, with and without --merge-imports', () => {
    const { ctx, source, analysis } = setup('merge-existing', 'src/app.ts');
    const site = analysis.sites.find((s) => s.target.kind === 'legacy')!;
    for (const mergeImports of [false, true]) {
      const one = planSiteRewrite(ctx, analysis, site, source, { mergeImports });
      expect(one.safe).toBe(true);
      expect(one.decision).toBe('rewrite');
      const file = planFileRewrite(ctx, analysis, source, { mergeImports });
      expect(applyEdits(source, one.edits)).toBe(applyEdits(source, file.edits));
    }
    // By default the existing import of the target is left alone; merging into it is opt-in.
    expect(applyEdits(source, planSiteRewrite(ctx, analysis, site, source).edits)).toBe(
      source.replace(
        "import { MessageRouter, LEGACY_ROUTER_VERSION } from './legacy/message-router';",
        "import { LEGACY_ROUTER_VERSION } from './legacy/message-router';\nimport { MessageRouter } from 'ssot-kit/router/compat';",
      ),
    );
    expect(applyEdits(source, planSiteRewrite(ctx, analysis, site, source, { mergeImports: true }).edits)).toContain(
      "import { QualityMessageRouter, MessageRouter } from 'ssot-kit/router/compat';",
    );
  });

  it('is not safe for a refused site, with the reason', () => {
    const { ctx, source, analysis } = setup('namespace-unsafe', 'src/app.ts');
    const site = analysis.sites.find((s) => s.target.kind === 'legacy')!;
    const r = planSiteRewrite(ctx, analysis, site, source);
    expect(r).toMatchObject({ safe: false, edits: [] });
    expect(r.reason).toMatch(
      /^namespace import legacy is used as a value \(line 8: `exportNames\(legacy\)`\): .* also exports LEGACY_ROUTER_VERSION \(not part of the concept\)/,
    );
  });

  it('is not safe for a site that imports no concept name', () => {
    const { ctx, source, analysis } = setup(
      'split',
      'src/app.ts',
      "import type { RouterOptions } from './legacy/message-router';\nexport const o: RouterOptions = {};\n",
    );
    const site = analysis.sites.find((s) => s.target.kind === 'legacy')!;
    expect(planSiteRewrite(ctx, analysis, site, source)).toMatchObject({
      safe: false,
      reason: 'no name of this import is part of the concept',
    });
  });
});

describe('planFileRewrite', () => {
  it('--rename falls back to an alias when the canonical name is already taken', () => {
    const text =
      "import { ChatMessageRouter } from './events/event-router';\n\nconst WebSocketEventRouter = 1;\nexport const r = [new ChatMessageRouter(), WebSocketEventRouter];\n";
    const { ctx, source, analysis } = setup('rename-shadowing', 'src/app.ts', text);
    const plan = planFileRewrite(ctx, analysis, source, { rename: true });
    expect(applyEdits(source, plan.edits)).toBe(
      text.replace(
        "{ ChatMessageRouter } from './events/event-router'",
        "{ WebSocketEventRouter as ChatMessageRouter } from 'ssot-kit/router/compat'",
      ),
    );
    expect(plan.notes[0]).toMatch(/kept ChatMessageRouter as an alias of WebSocketEventRouter/);
  });

  it('renames namespace members that map to another name', () => {
    const text = "import * as events from './events/event-router';\nexport const r = new events.ChatMessageRouter();\n";
    const { ctx, source, analysis } = setup('renamed-alias', 'src/app.ts', text);
    const out = applyEdits(source, planFileRewrite(ctx, analysis, source).edits);
    expect(out).toBe(
      "import * as events from 'ssot-kit/router/compat';\nexport const r = new events.WebSocketEventRouter();\n",
    );
  });

  it('splits a namespace import by scope: a shadowing local of the same name is not the namespace', () => {
    const text = [
      "import * as event from './legacy/message-router';",
      '',
      'export const router = new event.MessageRouter();',
      'export const version = event.LEGACY_ROUTER_VERSION;',
      'export function onKey(): number {',
      '  const event = { keyCode: 13 };',
      '  return event.keyCode;',
      '}',
      '',
    ].join('\n');
    const { ctx, source, analysis } = setup('namespace-split', 'src/app.ts', text);
    const plan = planFileRewrite(ctx, analysis, source);
    expect(plan.refused).toEqual([]);
    expect(applyEdits(source, plan.edits)).toBe(
      text
        .replace(
          "'./legacy/message-router';",
          "'./legacy/message-router';\nimport { MessageRouter } from 'ssot-kit/router/compat';",
        )
        .replace('new event.MessageRouter()', 'new MessageRouter()'),
    );
  });

  it('refuses a namespace that escapes (a computed key) and one whose split would bind a taken name', () => {
    const computed =
      "import * as legacy from './legacy/message-router';\nconst key = 'MessageRouter' as const;\nexport const R = legacy[key];\nexport const v = legacy.LEGACY_ROUTER_VERSION;\n";
    const a = setup('namespace-split', 'src/app.ts', computed);
    expect(planFileRewrite(a.ctx, a.analysis, a.source).refused[0]?.reason).toMatch(
      /^namespace import legacy is indexed by a computed key \(line 3\)/,
    );
    const taken =
      "import * as legacy from './legacy/message-router';\nclass MessageRouter {}\nexport const r = [new legacy.MessageRouter(), legacy.LEGACY_ROUTER_VERSION, MessageRouter];\n";
    const b = setup('namespace-split', 'src/app.ts', taken);
    const plan = planFileRewrite(b.ctx, b.analysis, b.source);
    expect(plan.edits).toEqual([]);
    expect(plan.refused[0]?.reason).toMatch(
      /the split cannot bind MessageRouter: 'MessageRouter' is already used in this file \(line 2\)/,
    );
  });

  it('plans the same on a tree parsed with parents only near the sites (what ssot migrate parses)', () => {
    for (const caseName of [
      'namespace-safe',
      'namespace-split',
      'namespace-unsafe',
      'import-equals',
      'dynamic-import',
    ]) {
      const { ctx, abs, source, analysis } = setup(caseName, 'src/app.ts');
      const full = applyEdits(source, planFileRewrite(ctx, analysis, source).edits);
      const { sourceFile } = parseFile(abs, source, { skipJsDoc: true, parents: 'sites' });
      const sparse = analyzeFile(ctx, abs, source, { sourceFile, skipDuplicates: true });
      expect(applyEdits(source, planFileRewrite(ctx, sparse, source, { sourceFile }).edits), caseName).toBe(full);
    }
  });

  it('keeps a namespace import whose members are all outside the concept', () => {
    const text = "import * as legacy from './legacy/message-router';\nexport const v = legacy.LEGACY_ROUTER_VERSION;\n";
    const { ctx, source, analysis } = setup('namespace-split', 'src/app.ts', text);
    const plan = planFileRewrite(ctx, analysis, source);
    expect([plan.edits, plan.refused, plan.kept.length]).toEqual([[], [], 1]);
  });

  it('--merge-imports merges within a `declare module` block, never across blocks', () => {
    const text = [
      "declare module 'a' {",
      "  import type { Node } from '@scope/utils';",
      "  import type { RuleListener } from '@scope/utils';",
      '  export const a: Node & RuleListener;',
      '}',
      '',
      "declare module 'b' {",
      "  import type { Node } from '@scope/utils';",
      '  export const b: Node;',
      '}',
      '',
    ].join('\n');
    const { ctx, source, analysis } = setup('package-root-only', 'src/typings/rules.d.ts', text);
    const merged = applyEdits(source, planFileRewrite(ctx, analysis, source, { mergeImports: true }).edits);
    expect(merged).toBe(
      text
        .replace(
          "  import type { Node } from '@scope/utils';\n  import type { RuleListener } from '@scope/utils';\n",
          "  import type { Node, RuleListener } from '@canonical/utils';\n",
        )
        .replace(
          "  import type { Node } from '@scope/utils';\n  export const b",
          "  import type { Node } from '@canonical/utils';\n  export const b",
        ),
    );
    // By default every import keeps its statement: only the specifiers change.
    expect(applyEdits(source, planFileRewrite(ctx, analysis, source).edits)).toBe(
      text.replaceAll("'@scope/utils'", "'@canonical/utils'"),
    );
  });

  it('restricts to --concept ids', () => {
    const { ctx, source, analysis } = setup('named', 'src/app.ts');
    expect(planFileRewrite(ctx, analysis, source, { concepts: ['other'] }).edits).toEqual([]);
  });
});

describe('verifyRewrite', () => {
  it('refuses output that does not parse', () => {
    const { ctx, abs, source } = setup('named', 'src/app.ts');
    const v = verifyRewrite(ctx, abs, source, source.replace('new MessageRouter()', 'new MessageRouter('));
    expect(v.ok).toBe(false);
    expect(!v.ok && v.error).toMatch(/would not parse \(line 3/);
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with context and marks a missing final newline', () => {
    // The same hunks as GNU `diff -u`.
    const a = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11';
    const b = 'l1\nL2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nL11';
    expect(unifiedDiff('f.ts', a, b)).toBe(
      '--- a/f.ts\n+++ b/f.ts\n@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n@@ -8,4 +8,4 @@\n l8\n l9\n l10\n-l11\n\\ No newline at end of file\n+L11\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff('f.ts', a, a)).toBe('');
  });
});
