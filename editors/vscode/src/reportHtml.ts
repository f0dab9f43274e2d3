// The "Show scoping matrix" webview shows the server's report page (`genaiScope/report`, the
// HTML of `genai-scope report FILE`) as it is, with two additions in its <head>: a strict
// Content-Security-Policy and a small stylesheet that makes the page follow the VS Code theme
// (the heat-map colours and the inferred-scope highlight stay the report's). Its links become
// command links: the report marks them with `data-command` (reveal a position, open the quick
// fixes there, add a workload's missing controls) and plain anchors as `href`. Pure (no VS
// Code API) so that it can be tested under plain Node.

/** The extension's command that shows a position of a document (arguments: URI, 0-based
 *  line, UTF-16 column, and whether to open the quick fixes there). */
export const REVEAL_COMMAND = 'genaiScope.revealInDocument';
/** The server's command that adds a workload's missing controls (URI, workload index). */
export const ADD_MISSING_CONTROLS_COMMAND = 'genai-scope.addMissingControls';
/** The only commands the webview's links may run (`enableCommandUris`). */
export const MATRIX_COMMANDS: readonly string[] = [REVEAL_COMMAND, ADD_MISSING_CONTROLS_COMMAND];

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
.heatmap th.other { color: var(--vscode-descriptionForeground, #59636e); }
a { color: var(--vscode-textLink-foreground, #0969da); }
.agent { border-left-color: var(--vscode-panel-border, #d0d7de); }
.tag.planned { background: #6639ba; color: #fff; }
.standing.planned { background: hsl(265, 60%, 92%); color: #6639ba; }
.overview td, .overview th { border-color: var(--vscode-panel-border, #d0d7de); }
.findings td, .findings th { border-color: var(--vscode-panel-border, #d0d7de); }
`;

export interface WebviewPage {
  /** `webview.cspSource` */
  cspSource: string;
  /** The document the report is of: with it, the report's links become command links. */
  documentUri?: string;
}

/** Shown only where links can run commands (the report hides them in a plain page). */
const EDITOR_ONLY_CSS = `.editor-only { display: inline; }\n`;

function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

const LINK = /<a\s[^>]*\bdata-command="[^"]*"[^>]*>/g;

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function whole(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The `href` a link of the report gets in the editor, or undefined to leave it as it is. */
function commandHref(tag: string, documentUri: string): string | undefined {
  const line = whole(attribute(tag, 'data-line'));
  const character = whole(attribute(tag, 'data-character')) ?? 0;
  switch (attribute(tag, 'data-command')) {
    case 'reveal':
      return line === undefined ? undefined : commandUri(REVEAL_COMMAND, [documentUri, line, character, false]);
    case 'quick-fix':
      return line === undefined ? undefined : commandUri(REVEAL_COMMAND, [documentUri, line, character, true]);
    case 'add-missing-controls': {
      const index = whole(attribute(tag, 'data-workload-index'));
      return index === undefined ? undefined : commandUri(ADD_MISSING_CONTROLS_COMMAND, [documentUri, index]);
    }
    default:
      return undefined;
  }
}

/** The report's links with `data-command` pointed at the commands they stand for; links it
 *  does not know keep their anchor. */
export function withCommandLinks(reportHtml: string, documentUri: string): string {
  return reportHtml.replace(LINK, (tag) => {
    const href = commandHref(tag, documentUri);
    if (href === undefined) return tag;
    const value = escapeAttribute(href);
    return /\shref="[^"]*"/.test(tag) ? tag.replace(/\shref="[^"]*"/, ` href="${value}"`) : tag.replace(/>$/, ` href="${value}">`);
  });
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
  const linked = page.documentUri === undefined ? '' : EDITOR_ONLY_CSS;
  const theme = `<style id="genai-scope-vscode-theme">${THEME_CSS}${linked}</style>`;
  if (page.documentUri !== undefined) reportHtml = withCommandLinks(reportHtml, page.documentUri);
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
