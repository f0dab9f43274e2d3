// Renders the "Show scoping matrix" webview: for each workload, the five scope columns with the
// inferred scope highlighted, why, and a discipline x status heat map with the controls behind
// it. Pure (no VS Code API) so that it can be tested and previewed under plain Node.
import { ControlStatus, DisciplineInfo, SCOPES, WorkloadInfo, WorkloadsResult } from './protocol';

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STATUS_LABEL: Record<ControlStatus, string> = {
  implemented: 'implemented',
  planned: 'planned',
  not_applicable: 'not applicable',
  missing: 'missing',
  not_required: 'not required',
};

/** Heat level 0..4: the share of the required controls in this cell (0 only for none). The
 *  webview's CSP allows no inline style attributes, so levels are classes. */
export function heatLevel(count: number, required: number): number {
  if (count <= 0) return 0;
  const denom = required > 0 ? required : count;
  return Math.max(1, Math.min(4, Math.ceil((4 * count) / denom)));
}

function countCell(kind: string, count: number, required: number): string {
  return `<td class="count ${kind} h${heatLevel(count, required)}" data-status="${kind}" data-count="${count}">${count}</td>`;
}

function coverage(d: DisciplineInfo): { pct: number; text: string } {
  if (d.required <= 0) return { pct: 100, text: 'nothing required' };
  const done = d.implemented + d.notApplicable;
  const pct = Math.round((100 * done) / d.required);
  return { pct, text: `${pct}%` };
}

function renderScopes(w: WorkloadInfo): string {
  const cells = SCOPES.map((s) => {
    const classes = ['scope', s.side.toLowerCase()];
    const marks: string[] = [];
    if (w.inferredScope === s.n) {
      classes.push('inferred');
      marks.push('<span class="mark inferred-mark">inferred</span>');
    }
    if (w.declaredScope === s.n) {
      classes.push('declared');
      marks.push(
        `<span class="mark declared-mark${w.declaredScope !== w.inferredScope ? ' mismatch' : ''}">declared</span>`,
      );
    }
    return (
      `<td class="${classes.join(' ')}" data-scope="${s.n}"${w.inferredScope === s.n ? ' aria-current="true"' : ''}>` +
      `<div class="scope-n">Scope ${s.n}</div><div class="scope-name">${escapeHtml(s.name)}</div>` +
      `<div class="tagline">${escapeHtml(s.tagline)}</div>${marks.join(' ')}</td>`
    );
  }).join('');
  return (
    '<table class="scopes"><thead><tr><th colspan="2" class="side buy">Buy</th>' +
    '<th colspan="3" class="side build">Build</th></tr></thead>' +
    `<tbody><tr>${cells}</tr></tbody></table>`
  );
}

function renderHeatMap(w: WorkloadInfo): string {
  if (!w.disciplines || w.disciplines.length === 0) {
    return '<p class="empty">No discipline data: the scope could not be inferred.</p>';
  }
  const rows = w.disciplines
    .map((d) => {
      const cov = coverage(d);
      return (
        `<tr data-discipline="${escapeHtml(d.id)}"><th scope="row">${escapeHtml(d.name)}</th>` +
        `<td class="count required" data-count="${d.required}">${d.required}</td>` +
        countCell('implemented', d.implemented, d.required) +
        countCell('planned', d.planned, d.required) +
        countCell('not_applicable', d.notApplicable, d.required) +
        countCell('missing', d.missing, d.required) +
        `<td class="coverage"><meter min="0" max="100" low="50" high="99" optimum="100" value="${Math.max(0, Math.min(100, cov.pct))}"></meter> ` +
        `<span>${escapeHtml(cov.text)}</span></td></tr>`
      );
    })
    .join('');
  const totals = w.disciplines.reduce(
    (acc, d) => {
      acc.required += d.required;
      acc.implemented += d.implemented;
      acc.planned += d.planned;
      acc.notApplicable += d.notApplicable;
      acc.missing += d.missing;
      return acc;
    },
    { required: 0, implemented: 0, planned: 0, notApplicable: 0, missing: 0 },
  );
  return (
    '<table class="heat"><thead><tr><th class="discipline">Discipline</th><th>Required</th><th>Implemented</th>' +
    '<th>Planned</th><th title="Not applicable">N/A</th><th>Missing</th><th>Coverage</th></tr></thead>' +
    `<tbody>${rows}</tbody>` +
    `<tfoot><tr><th scope="row">All disciplines</th><td class="count">${totals.required}</td>` +
    `<td class="count">${totals.implemented}</td><td class="count">${totals.planned}</td>` +
    `<td class="count">${totals.notApplicable}</td><td class="count total-missing">${totals.missing}</td><td></td></tr></tfoot></table>`
  );
}

function renderControls(w: WorkloadInfo): string {
  return w.disciplines
    .map((d) => {
      const items = d.controls
        .map(
          (c) =>
            `<li class="control" data-control="${escapeHtml(c.id)}" data-status="${escapeHtml(c.status)}">` +
            `<span class="badge ${escapeHtml(c.status)}">${escapeHtml(STATUS_LABEL[c.status] ?? c.status)}</span> ` +
            `<code>${escapeHtml(c.id)}</code> ${escapeHtml(c.title)}</li>`,
        )
        .join('');
      const open = d.missing > 0 ? ' open' : '';
      return `<details${open}><summary>${escapeHtml(d.name)}: ${d.missing} missing of ${d.required} required</summary><ul>${items}</ul></details>`;
    })
    .join('');
}

function renderWorkload(w: WorkloadInfo): string {
  const scopeText =
    w.inferredScope != null
      ? `Scope ${w.inferredScope}: ${escapeHtml(w.scopeName ?? SCOPES[w.inferredScope - 1]?.name ?? '')}`
      : 'scope not inferred';
  const mismatch =
    w.declaredScope != null && w.inferredScope != null && w.declaredScope !== w.inferredScope
      ? `<p class="warning">Declared scope ${w.declaredScope} differs from the inferred scope ${w.inferredScope}.</p>`
      : '';
  const reasons = (w.reasons ?? []).map((r) => `<li>${escapeHtml(r)}</li>`).join('');
  return (
    `<section class="workload" data-workload="${escapeHtml(w.name)}">` +
    `<h2>workload <q>${escapeHtml(w.name)}</q> <span class="scope-title">${scopeText}</span></h2>` +
    mismatch +
    renderScopes(w) +
    (reasons ? `<h3>Why this scope</h3><ul class="reasons">${reasons}</ul>` : '') +
    '<h3>Controls by discipline</h3>' +
    renderHeatMap(w) +
    renderControls(w) +
    '</section>'
  );
}

const STYLE = `
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); padding: 0 16px 16px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 1.6em; } h3 { font-size: 1em; margin: 1.2em 0 .4em; }
.scope-title { font-weight: normal; opacity: .85; margin-left: .5em; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 4px 8px; }
table.scopes { width: 100%; table-layout: fixed; }
table.scopes td { vertical-align: top; opacity: .55; }
table.scopes td.inferred { opacity: 1; background: rgba(56, 132, 255, .28); outline: 2px solid rgba(56, 132, 255, .9); outline-offset: -2px; }
table.scopes td.declared { opacity: 1; }
.side { text-align: center; font-weight: 600; }
.side.buy { background: rgba(128, 128, 128, .15); } .side.build { background: rgba(128, 128, 128, .28); }
.scope-n { font-weight: 700; } .scope-name { font-weight: 600; } .tagline { font-size: .85em; opacity: .8; margin: .2em 0; }
.mark { display: inline-block; font-size: .75em; padding: 0 .4em; border-radius: 3px; margin-top: .3em; }
.inferred-mark { background: rgba(56, 132, 255, .9); color: #fff; }
.declared-mark { border: 1px solid currentColor; } .declared-mark.mismatch { background: rgba(220, 50, 50, .85); color: #fff; border-color: transparent; }
.warning { color: var(--vscode-editorWarning-foreground, #b58900); }
table.heat { width: 100%; } table.heat th.discipline { width: 28%; } table.heat thead th { font-size: .9em; }
table.heat td.count { text-align: center; font-variant-numeric: tabular-nums; }
td.implemented.h1 { background: rgba(40, 167, 69, .25); } td.implemented.h2 { background: rgba(40, 167, 69, .45); }
td.implemented.h3 { background: rgba(40, 167, 69, .65); } td.implemented.h4 { background: rgba(40, 167, 69, .85); }
td.planned.h1 { background: rgba(255, 193, 7, .25); } td.planned.h2 { background: rgba(255, 193, 7, .45); }
td.planned.h3 { background: rgba(255, 193, 7, .65); } td.planned.h4 { background: rgba(255, 193, 7, .85); }
td.not_applicable.h1 { background: rgba(128, 128, 128, .2); } td.not_applicable.h2 { background: rgba(128, 128, 128, .35); }
td.not_applicable.h3 { background: rgba(128, 128, 128, .5); } td.not_applicable.h4 { background: rgba(128, 128, 128, .65); }
td.missing.h1 { background: rgba(220, 53, 69, .3); } td.missing.h2 { background: rgba(220, 53, 69, .5); }
td.missing.h3 { background: rgba(220, 53, 69, .7); } td.missing.h4 { background: rgba(220, 53, 69, .9); color: #fff; }
td.coverage { white-space: nowrap; } meter { width: 3.5em; vertical-align: middle; }
details { margin: .3em 0; } ul { margin: .3em 0 .6em; padding-left: 1.4em; } li.control { margin: .15em 0; list-style: none; }
.badge { display: inline-block; min-width: 7.5em; text-align: center; font-size: .8em; border-radius: 3px; padding: 0 .3em; }
.badge.implemented { background: rgba(40, 167, 69, .8); color: #fff; } .badge.planned { background: rgba(255, 193, 7, .85); color: #000; }
.badge.not_applicable, .badge.not_required { background: rgba(128, 128, 128, .5); } .badge.missing { background: rgba(220, 53, 69, .9); color: #fff; }
.empty, .error { opacity: .8; }
`;

export interface RenderOptions {
  title: string;
  nonce: string;
  cspSource?: string;
  error?: string;
}

export function renderMatrixHtml(result: WorkloadsResult | undefined, opts: RenderOptions): string {
  const body = opts.error
    ? `<p class="error">${escapeHtml(opts.error)}</p>`
    : !result || result.workloads.length === 0
      ? '<p class="empty">No workload in this file.</p>'
      : result.workloads.map(renderWorkload).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${opts.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(opts.title)}</title>
<style nonce="${opts.nonce}">${STYLE}</style>
</head>
<body>
<h1 id="matrix-title">${escapeHtml(opts.title)}</h1>
${body}
</body>
</html>
`;
}
