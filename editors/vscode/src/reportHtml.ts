// The "Show scoping matrix" webview shows the server's report page (`genaiScope/report`, the
// HTML of `genai-scope report FILE`) as it is, with two additions in its <head>: a strict
// Content-Security-Policy and a small stylesheet that makes the page follow the VS Code theme
// (the heat-map colours and the inferred-scope highlight stay the report's). Pure (no VS Code
// API) so that it can be tested under plain Node.

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The webview's policy: no script, no network; inline styles (the report has a <style> and
 *  per-cell `style` attributes for the heat map) and images only from the webview or `data:`. */
export function contentSecurityPolicy(cspSource: string): string {
  return `default-src 'none'; style-src 'unsafe-inline' ${cspSource}; img-src ${cspSource} data:`;
}

/** Overrides of the report's light page so that it reads in any VS Code theme. It re-colours
 *  the page, its text, code, borders and the neutral scope cards and table headers; the cells
 *  of the heat map keep their (light) background and get the report's dark ink back, and the
 *  inferred scope keeps its blue. Planned controls keep the report's violet (never green), and
 *  the columns of other scopes, which the report leaves unpainted, take the editor's
 *  background instead of a white that would glare in a dark theme. */
export const THEME_CSS = `
:root { color-scheme: normal; }
body { background: var(--vscode-editor-background, #fff); color: var(--vscode-foreground, #1f2328); font-family: var(--vscode-font-family, system-ui, sans-serif); }
.muted, .where { color: var(--vscode-descriptionForeground, #59636e); }
h2 { border-bottom-color: var(--vscode-panel-border, #d0d7de); }
code { background: var(--vscode-textCodeBlock-background, #f6f8fa); color: inherit; }
.scope { background: var(--vscode-editorWidget-background, #fafbfc); color: var(--vscode-descriptionForeground, #59636e); border-color: var(--vscode-panel-border, #d0d7de); }
.heatmap th { background: var(--vscode-editorWidget-background, #f6f8fa); color: var(--vscode-foreground, #1f2328); border-color: var(--vscode-panel-border, #d0d7de); }
.heatmap th.inferred { background: #0969da; color: #fff; }
.heatmap td.cell { color: #1f2328; }
.heatmap td.cell.other:not(.none) { background: var(--vscode-editor-background, #fff) !important; color: var(--vscode-descriptionForeground, #59636e); }
.tag.planned { background: #6639ba; color: #fff; }
.standing.planned { background: hsl(265, 60%, 92%); color: #6639ba; }
.overview td, .overview th { border-color: var(--vscode-panel-border, #d0d7de); }
.findings td, .findings th { border-color: var(--vscode-panel-border, #d0d7de); }
`;

export interface WebviewPage {
  /** `webview.cspSource` */
  cspSource: string;
}

/** For a double-quoted attribute value (keeps the policy's single quotes readable). */
function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

const HEAD_OPEN = /<head(\s[^>]*)?>/i;
const HEAD_CLOSE = /<\/head\s*>/i;

/** The server's report page with the policy as the first element of its <head> (a policy
 *  given by <meta> only governs what follows it) and the theme stylesheet as the last. A page
 *  without a <head> gets one. */
export function webviewHtml(reportHtml: string, page: WebviewPage): string {
  const csp = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(page.cspSource))}">`;
  const theme = `<style id="genai-scope-vscode-theme">${THEME_CSS}</style>`;
  const open = HEAD_OPEN.exec(reportHtml);
  const close = HEAD_CLOSE.exec(reportHtml);
  if (!open || !close || close.index < open.index) {
    return `<!DOCTYPE html>\n<html lang="en">\n<head>\n${csp}\n<meta charset="utf-8">\n${theme}\n</head>\n<body>\n${reportHtml}\n</body>\n</html>\n`;
  }
  const afterOpen = open.index + open[0].length;
  return (
    reportHtml.slice(0, afterOpen) +
    `\n${csp}` +
    reportHtml.slice(afterOpen, close.index) +
    `${theme}\n` +
    reportHtml.slice(close.index)
  );
}

/** A page with one message, for when there is no report to show (no server, a failed request). */
export function messageHtml(title: string, message: string, page: WebviewPage): string {
  return webviewHtml(
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n</head>\n` +
      `<body>\n<h1 id="matrix-message-title">${escapeHtml(title)}</h1>\n<p class="muted" id="matrix-message">${escapeHtml(message)}</p>\n</body>\n</html>\n`,
    page,
  );
}
