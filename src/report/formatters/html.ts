import type { HistoryEntry } from '../history.js';
import type { ConceptReport, ConceptSummary, LegacySiteItem, Report } from '../types.js';
import { oneLine, percent, undecidedReason, verdictLabel } from './text.js';

/** HTML-escapes text for element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A path or module specifier for a table cell: escaped, with a line-break opportunity after each
 * `/` (browsers break there only at a hyphen otherwise), so a long path wraps at its folders
 * instead of widening the table. `<wbr>` adds no character: the copied text stays the path.
 */
function pathHtml(p: string): string {
  return esc(p).replace(/\//g, '/<wbr>');
}

const CSS = `
:root{--bg:#f5f6f8;--card:#fff;--ink:#1c2330;--muted:#667085;--line:#e4e7ec;--red:#d92d20;--red-bg:#fef3f2;--green:#079455;--green-bg:#ecfdf3;--amber:#b54708;--amber-bg:#fffaeb;--blue:#1570ef;--blue-bg:#eff8ff;--violet:#6941c6}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
header{display:flex;align-items:center;justify-content:space-between;gap:16px;margin-bottom:20px}
h1{font-size:22px;margin:0}
h1 small{font-weight:400;color:var(--muted);font-size:13px;margin-left:8px}
h2{font-size:18px;margin:0}
h3{font-size:14px;margin:22px 0 8px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.root{color:var(--muted);font-size:12px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
.verdict{font-weight:700;font-size:15px;padding:8px 16px;border-radius:999px;white-space:nowrap}
.bad{background:var(--red-bg);color:var(--red)}.good{background:var(--green-bg);color:var(--green)}
.cards{display:grid;grid-template-columns:repeat(5,1fr);gap:12px;margin-bottom:20px}
.cards div{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px}
.cards b{display:block;font-size:26px;line-height:1.2}
.cards span{color:var(--muted);font-size:12px}
.cards em{font-style:normal;color:var(--muted);font-size:12px;display:block}
section.concept{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:20px 22px;margin-bottom:20px}
.concept-head{display:flex;align-items:center;gap:12px;flex-wrap:wrap}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600}
.desc{color:var(--muted);margin:4px 0 0}
.progress{margin:18px 0 6px;display:flex;align-items:center;gap:14px}
.track{flex:1;height:18px;background:#eef0f3;border-radius:999px;overflow:hidden;position:relative}
.fill{height:100%;background:linear-gradient(90deg,#12b76a,#079455);border-radius:999px}
.pct{font-size:24px;font-weight:700;min-width:78px;text-align:right}
.formula{color:var(--muted);font-size:12px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.bars div{display:grid;grid-template-columns:minmax(120px,42%) 1fr 32px;align-items:center;gap:8px;font-size:12px;margin:3px 0}
.bars i{display:block;height:10px;border-radius:6px;background:var(--blue)}
.bars code{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bars .n{text-align:right;font-variant-numeric:tabular-nums;color:var(--muted)}
table{width:100%;border-collapse:collapse;font-size:13px}
th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;border-bottom:1px solid var(--line);padding:6px 8px}
th{position:sticky;top:0;z-index:1;background:var(--card)}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top;overflow-wrap:break-word}
tr:last-child td{border-bottom:0}
/* Tables of unbounded text (paths, statements, evidence) get fixed columns: long text wraps inside them. */
table.fixed{table-layout:fixed}
.sites th:nth-child(1){width:28%}.sites th:nth-child(2){width:24%}.sites th:nth-child(3){width:10%}
.dups th:nth-child(1){width:28%}.dups th:nth-child(2){width:20%}.dups th:nth-child(4){width:104px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.loc{color:var(--blue)}
.chip{display:inline-block;background:#f2f4f7;border-radius:6px;padding:0 6px;margin:1px 3px 1px 0;font-size:12px}
.chip.ev{background:var(--amber-bg);color:var(--amber)}
.muted{color:var(--muted)}
.none{color:var(--muted);font-style:italic;font-size:13px}
.legend{display:flex;gap:16px;font-size:12px;color:var(--muted);margin:-2px 0 6px}.legend i{display:inline-block;width:12px;height:3px;vertical-align:middle;margin-right:6px}
.chart{background:#fafbfc;border:1px solid var(--line);border-radius:10px;padding:8px}
footer{color:var(--muted);font-size:12px;margin-top:24px}
footer code{font-size:11px}
`;

function bar(label: string, n: number, max: number, color = 'var(--blue)'): string {
  const w = max > 0 ? Math.max(2, Math.round((n / max) * 100)) : 0;
  return `<div><code title="${esc(label)}">${esc(label)}</code><i style="width:${w}%;background:${color}"></i><span class="n">${n}</span></div>`;
}

/** The compat layer between the two stages: what is left of each, and whether the layer can go. */
function compatLayerHtml(s: ConceptSummary): string {
  if (!s.compatModule) return '';
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const pill =
    s.compatModule.status === 'pending'
      ? '<span class="pill" style="background:var(--blue-bg);color:var(--blue)">needed by stage 1</span>'
      : statusPill(s.compatModule.status);
  return (
    `<h3>Compat layer</h3><p class="muted" style="font-size:12px;margin:0">` +
    `legacy → compat: ${plural(s.legacySites, 'legacy site')} to go` +
    (s.instanceSites > 0 ? ` (${s.instanceSites} by hand: instances of a legacy class)` : '') +
    ' · ' +
    `compat → canonical: ${plural(s.compatSites, 'compat site')} to go · ` +
    `<code>${esc(s.compatModule.module)}</code> ${pill}</p>`
  );
}

function statusPill(status: string | null): string {
  switch (status) {
    case 'safe-to-delete':
      return '<span class="pill good">safe to delete</span>';
    case 'broken':
      return '<span class="pill bad">deleted, still imported</span>';
    case 'deleted':
      return '<span class="pill good">deleted</span>';
    case 'in-use':
      return '<span class="pill" style="background:var(--blue-bg);color:var(--blue)">in use</span>';
    default:
      return '<span class="pill muted">unknown (partial)</span>';
  }
}

function namesCell(s: LegacySiteItem): string {
  if (s.names.length === 0) return `<span class="chip">whole module (${esc(s.form)})</span>`;
  return s.names
    .map((n) =>
      n.mapsTo
        ? `<span class="chip">${esc(n.imported)} → ${pathHtml(n.mapsTo)}</span>`
        : n.instanceOf
          ? `<span class="chip ev">${esc(n.imported)}: instance of ${esc(n.instanceOf.className)} (${esc(n.instanceOf.declaredAt)}), no counterpart</span> <span class="muted" style="font-size:12px">by hand: ${esc(n.instanceOf.reason)}</span>`
          : `<span class="chip muted">${esc(n.imported)} (not in concept)</span>`,
    )
    .join('');
}

/** The import statement on one line; when cut short, the whole statement is its tooltip. */
function statement(code: string): string {
  const shown = oneLine(code, 90);
  const whole = oneLine(code, Infinity);
  return `<code${shown === whole ? '' : ` title="${esc(whole)}"`}>${esc(shown)}</code>`;
}

function sitesTable(sites: readonly LegacySiteItem[], empty: string): string {
  if (sites.length === 0) return `<p class="none">${esc(empty)}</p>`;
  const rows = sites
    .map(
      (s) =>
        `<tr><td class="loc"><code>${pathHtml(s.file)}:${s.line}</code>${s.missing ? ' <span class="pill bad">broken</span>' : ''}</td><td><code>${pathHtml(s.module)}</code></td><td>${esc(s.form)}</td><td>${statement(s.code)}<br>${namesCell(s)}</td></tr>`,
    )
    .join('');
  return `<table class="fixed sites"><thead><tr><th>site</th><th>legacy module</th><th>form</th><th>statement and mapping</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A small SVG line chart of one concept's progress and open findings over the kept history. */
function historyChart(id: string, history: readonly HistoryEntry[]): string {
  const points = history
    .map((h) => ({ t: h.timestamp, commit: h.commit, c: h.concepts[id] }))
    .filter((p): p is { t: string; commit: string | null; c: NonNullable<typeof p.c> } => p.c !== undefined);
  if (points.length === 0) return '';
  const W = 520;
  const H = 170;
  const L = 40;
  const R = 40;
  const T = 14;
  const B = 30;
  const x = (i: number): number =>
    points.length === 1 ? L + (W - L - R) / 2 : L + (i * (W - L - R)) / (points.length - 1);
  const yPct = (p: number): number => T + (1 - p) * (H - T - B);
  const maxCount = Math.max(1, ...points.map((p) => p.c.legacySites + p.c.duplicates));
  const yCount = (n: number): number => T + (1 - n / maxCount) * (H - T - B);
  const progressPts = points.map((p, i) => `${x(i).toFixed(1)},${yPct(p.c.progress ?? 0).toFixed(1)}`);
  const openPts = points.map((p, i) => `${x(i).toFixed(1)},${yCount(p.c.legacySites + p.c.duplicates).toFixed(1)}`);
  const area = `M${x(0).toFixed(1)},${yPct(0)} L${progressPts.join(' L')} L${x(points.length - 1).toFixed(1)},${yPct(0)} Z`;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (g) =>
        `<line x1="${L}" x2="${W - R}" y1="${yPct(g)}" y2="${yPct(g)}" stroke="#e4e7ec"/><text x="${L - 6}" y="${yPct(g) + 4}" text-anchor="end" font-size="10" fill="#667085">${g * 100}%</text>`,
    )
    .join('');
  // Date, and the time of day when the kept runs all fall on one day.
  const sameDay = points[0]!.t.slice(0, 10) === points[points.length - 1]!.t.slice(0, 10);
  const day = (t: string): string => (sameDay ? t.slice(0, 16).replace('T', ' ') : t.slice(0, 10));
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="progress over time for ${esc(id)}">
${grid}
<text x="${W - R + 6}" y="${yCount(maxCount) + 4}" font-size="10" fill="#d92d20">${maxCount}</text><text x="${W - R + 6}" y="${yCount(0) + 4}" font-size="10" fill="#d92d20">0</text>
<path d="${area}" fill="#12b76a" fill-opacity="0.12"/>
<polyline points="${progressPts.join(' ')}" fill="none" stroke="#079455" stroke-width="2.5"/>
<polyline points="${openPts.join(' ')}" fill="none" stroke="#d92d20" stroke-width="1.8" stroke-dasharray="5 4"/>
${points.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${yPct(p.c.progress ?? 0).toFixed(1)}" r="3" fill="#079455"><title>${esc(p.t)}${p.commit ? ` (${esc(p.commit.slice(0, 10))})` : ''}: ${percent(p.c.progress)}, ${p.c.legacySites} legacy sites, ${p.c.duplicates} duplicates</title></circle>`).join('')}
<text x="${L}" y="${H - 8}" font-size="10" fill="#667085">${esc(day(first.t))}</text><text x="${W - R}" y="${H - 8}" font-size="10" fill="#667085" text-anchor="end">${esc(day(last.t))} · ${points.length} run${points.length === 1 ? '' : 's'}</text>
</svg>`;
}

function conceptSection(report: Report, c: ConceptReport, history: readonly HistoryEntry[] | undefined): string {
  const s = c.summary;
  const pct = s.progress === null ? 0 : s.progress * 100;
  const maxModule = Math.max(0, ...s.legacyByModule.map((m) => m.count));
  const maxForm = Math.max(0, ...s.legacyByForm.map((m) => m.count));
  const dupRows = c.duplicates
    .map(
      (d) =>
        `<tr><td class="loc"><code>${pathHtml(d.file)}:${d.line}</code></td><td><b>${esc(d.symbol)}</b> <span class="muted">${esc(d.declarationKind)}</span></td><td>${d.evidence.map((e) => `<span class="chip ev">${esc(e)}</span>`).join(' ')}</td><td><code class="muted" title="${esc(d.fingerprint)}">${esc(d.fingerprint.slice(0, 10))}</code></td></tr>`,
    )
    .join('');
  const canonicalRows = c.canonicalSites
    .map(
      (x) =>
        `<tr><td class="loc"><code>${pathHtml(x.file)}:${x.line}</code></td><td><code>${pathHtml(x.specifier)}</code>${x.compat ? ' <span class="pill" style="background:var(--amber-bg);color:var(--amber)">compat</span>' : ''}</td><td>${x.names.map((n) => `<span class="chip">${esc(n.imported)}${n.replacement ? ` → ${pathHtml(n.replacement)}` : ''}</span>`).join('')}</td></tr>`,
    )
    .join('');
  const moduleRows = s.modules
    .map(
      (m) =>
        `<tr><td><code>${pathHtml(m.module)}</code></td><td>${statusPill(m.status)}</td><td>${m.legacySites}</td><td>${m.nonConceptSites}</td><td>${m.internalSites}</td><td>${m.transitionSites}</td></tr>`,
    )
    .join('');
  const chart = history && history.length > 0 ? historyChart(c.id, history) : '';
  return `<section class="concept">
<div class="concept-head"><h2>${esc(c.id)}</h2>${c.compliant ? '<span class="pill good">compliant</span>' : '<span class="pill bad">not compliant</span>'}
<span class="muted">canonical <code>${esc(c.canonical.module)}</code>${c.compat ? ` · compat layer <code>${esc(c.compat.module)}</code>` : ''} · ${s.implementations} implementation${s.implementations === 1 ? '' : 's'} (canonical + ${s.duplicates} duplicate${s.duplicates === 1 ? '' : 's'})</span></div>
${c.description ? `<p class="desc">${esc(c.description)}</p>` : ''}
<div class="progress"><div class="track" role="progressbar" aria-valuenow="${pct.toFixed(1)}" aria-valuemin="0" aria-valuemax="100"><div class="fill" style="width:${pct.toFixed(1)}%"></div></div><div class="pct">${percent(s.progress)}</div></div>
<div class="formula">migration progress = ${s.canonicalSites} canonical site${s.canonicalSites === 1 ? '' : 's'} / (${s.canonicalSites} canonical + ${s.legacySites} legacy) · ${s.compatSites} on the compat layer · ${s.missingModuleImports} broken import${s.missingModuleImports === 1 ? '' : 's'} · ${s.nonConceptLegacySites} non-concept</div>
<div class="grid2">
<div><h3>Legacy sites by module</h3><div class="bars">${s.legacyByModule.map((m) => bar(m.module, m.count, maxModule)).join('') || '<p class="none">none</p>'}</div>
<h3>Legacy sites by form</h3><div class="bars">${s.legacyByForm.map((m) => bar(m.form, m.count, maxForm, 'var(--violet)')).join('') || '<p class="none">none</p>'}</div></div>
<div>${
    chart
      ? `<h3>Progress over time</h3><div class="legend"><span><i style="background:#079455"></i>migration progress</span><span><i style="background:#d92d20"></i>legacy sites + duplicates (right axis)</span></div><div class="chart">${chart}</div>`
      : `<h3>Progress over time</h3><p class="none">Keep a history (<code>--history FILE</code>) to chart progress run after run.</p>`
  }</div>
</div>
<h3>Legacy modules</h3>
<table><thead><tr><th>module</th><th>status</th><th>concept sites</th><th>non-concept sites</th><th>from other legacy modules</th><th>from the canonical module</th></tr></thead><tbody>${moduleRows}</tbody></table>
<p class="muted" style="font-size:12px;margin:6px 0 0">Safe to delete: ${s.safeToDelete === null ? `not decided (${esc(undecidedReason(report))})` : s.safeToDelete.length > 0 ? s.safeToDelete.map((m) => `<code>${pathHtml(m)}</code>`).join(', ') : 'none yet'}</p>
${compatLayerHtml(s)}
<h3>Duplicate implementations (${s.duplicates})</h3>
${c.duplicates.length > 0 ? `<table class="fixed dups"><thead><tr><th>where</th><th>symbol</th><th>evidence</th><th>fingerprint</th></tr></thead><tbody>${dupRows}</tbody></table>` : '<p class="none">none: the canonical module is the only implementation</p>'}
<h3>Legacy import sites (${s.legacySites})</h3>
${sitesTable(c.legacySites, 'none: nothing left to migrate')}
${c.nonConceptLegacySites.length > 0 ? `<h3>Non-concept imports still on legacy modules (${s.nonConceptLegacySites})</h3><p class="muted" style="font-size:12px;margin:0 0 6px">Nothing to migrate, but they keep the module alive.</p>${sitesTable(c.nonConceptLegacySites, '')}` : ''}
${c.internalLegacySites.length > 0 ? `<h3>Imports inside legacy modules (${s.internalLegacySites})</h3><p class="muted" style="font-size:12px;margin:0 0 6px">Part of the code being retired; not counted as legacy sites.</p>${sitesTable(c.internalLegacySites, '')}` : ''}
${c.transitionSites.length > 0 ? `<h3>Transition: the canonical module re-exports legacy modules (${s.transitionSites})</h3><p class="muted" style="font-size:12px;margin:0 0 6px">The usual first step of a consolidation: not violations, but the legacy module stays until they go.</p>${sitesTable(c.transitionSites, '')}` : ''}
<h3>Canonical import sites (${s.canonicalSites})</h3>
${c.canonicalSites.length > 0 ? `<table><thead><tr><th>site</th><th>module</th><th>names (stage 2 replacement)</th></tr></thead><tbody>${canonicalRows}</tbody></table>` : '<p class="none">none yet</p>'}
</section>`;
}

/** One self-contained page: inline CSS and SVG, no scripts, no external requests. */
export function formatHtml(report: Report, options: { history?: readonly HistoryEntry[] } = {}): string {
  const t = report.totals;
  const f = report.files;
  const ok = report.verdict === 'compliant';
  const sc = report.scope;
  const fileProblems =
    f.parseErrors.length + f.skipped.length > 0
      ? `<section class="concept"><h2>Files not fully analysed</h2><table><thead><tr><th>file</th><th>problem</th></tr></thead><tbody>${[
          ...f.parseErrors.map(
            (p) =>
              `<tr><td class="loc"><code>${pathHtml(p.file)}:${p.line}:${p.column}</code></td><td>parse error: ${esc(p.message)}</td></tr>`,
          ),
          ...f.skipped.map(
            (s) => `<tr><td class="loc"><code>${pathHtml(s.file)}</code></td><td>skipped: ${esc(s.reason)}</td></tr>`,
          ),
        ].join('')}</tbody></table></section>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>ssot report: ${verdictLabel(report)}</title><style>${CSS}</style></head>
<body><main>
<header><div><h1>ssot report<small>ssot-kit ${esc(report.tool.version)}</small></h1><div class="root">${esc(sc.root)}${sc.config ? ` · ${esc(sc.config)}` : ''}${sc.partial ? ' · partial report' : ''}</div></div>
<div class="verdict ${ok ? 'good' : 'bad'}">${ok ? '✓ compliant' : report.verdict === 'incomplete' ? `? incomplete · ${f.skipped.length} file${f.skipped.length === 1 ? '' : 's'} not read` : `✗ not compliant · ${t.violations} violation${t.violations === 1 ? '' : 's'}`}</div></header>
<div class="cards">
<div><b>${t.duplicates}</b><span>duplicate implementations</span></div>
<div><b>${t.legacySites}</b><span>legacy import sites</span><em>${t.missingModuleImports} broken · ${t.nonConceptLegacySites} non-concept</em></div>
<div><b>${t.canonicalSites}</b><span>canonical import sites</span><em>${t.compatSites} on the compat layer</em></div>
<div><b>${t.compliantConcepts}/${t.concepts}</b><span>concepts compliant</span></div>
<div><b>${f.scanned}</b><span>files scanned</span><em>${f.parsed} parsed · ${f.prefilterEmpty} prefiltered · ${f.skipped.length} skipped · ${f.parseErrors.length} parse errors</em></div>
</div>
${report.concepts.map((c) => conceptSection(report, c, options.history)).join('\n')}
${fileProblems}
<footer>Scope: include <code>${esc(sc.include.join(' '))}</code>; exclude <code>${esc(sc.exclude.join(' ') || '(none)')}</code>; tsconfig <code>${esc(sc.tsconfig ?? 'nearest per file')}</code>${sc.paths.length > 0 ? `; paths <code>${esc(sc.paths.join(' '))}</code>` : ''}${sc.changedSince !== null ? `; changed since <code>${esc(sc.changedSince)}</code>` : ''}. ${f.inScope} files in scope. Every number on this page is counted from the findings listed on it. Report schema ${report.schemaVersion}.</footer>
</main></body></html>
`;
}
