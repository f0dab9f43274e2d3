// The genai-scope VS Code extension: starts `genai-scope lsp` for `*.genai` files and adds the
// commands, the status bar item and the scoping-matrix webview (the server's HTML report)
// around it.
import * as cp from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { REVEAL_CHANGE_COMMAND, revealAfterCommand, revealChange } from './revealEdits';
import { snippetEditsFeature, snippetEditsMiddleware } from './snippetEdits';
import {
  REPORT_METHOD,
  ReportParams,
  ReportResult,
  WORKLOADS_METHOD,
  WorkloadInfo,
  WorkloadsResult,
  workloadAt,
} from './protocol';
import { MATRIX_COMMANDS, REVEAL_COMMAND, messageHtml, webviewHtml } from './reportHtml';
import { findServer, NotFound } from './serverPath';

const LANGUAGE_ID = 'genai';
const SOURCE = 'genai-scope';
const EXPLAIN_SCHEME = 'genai-scope-explain';

let extensionContext: vscode.ExtensionContext;
let client: LanguageClient | undefined;
let serverCommand: string | undefined;
let output: vscode.OutputChannel;
let traceOutput: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
let starting: Promise<void> | undefined;

// ---------------------------------------------------------------------------------------------
// Activation

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  extensionContext = context;
  output = vscode.window.createOutputChannel('genai-scope');
  traceOutput = vscode.window.createOutputChannel('genai-scope trace');
  statusItem = vscode.window.createStatusBarItem('genaiScope.scope', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'genai-scope: inferred scope';
  statusItem.command = 'genaiScope.showScopingMatrix';
  context.subscriptions.push(output, traceOutput, statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand('genaiScope.restartServer', restartServer),
    vscode.commands.registerCommand('genaiScope.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('genaiScope.explainRule', explainRule),
    vscode.commands.registerCommand('genaiScope.showScopingMatrix', showScopingMatrix),
    vscode.commands.registerCommand(REVEAL_COMMAND, revealInDocument),
    vscode.commands.registerCommand(REVEAL_CHANGE_COMMAND, revealChange),
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explainProvider),
    vscode.window.onDidChangeActiveTextEditor(() => scheduleRefresh(0)),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor.document.languageId === LANGUAGE_ID) scheduleRefresh(150);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId === LANGUAGE_ID && e.contentChanges.length > 0) {
        invalidate(e.document.uri);
        if (isTracked(e.document.uri)) scheduleRefresh(600);
      }
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      // The server publishes diagnostics after each analysis: the workloads changed too.
      if (e.uris.some((u) => isTracked(u))) {
        e.uris.forEach(invalidate);
        scheduleRefresh(100);
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('genaiScope.server')) {
        output.appendLine('genaiScope.server.* changed: restarting the server');
        await restartServer();
      } else if (e.affectsConfiguration('genaiScope.statusBar')) {
        scheduleRefresh(0);
      }
    }),
  );

  await ensureStarted();
  scheduleRefresh(0);
  return api;
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/** What the extension exports to other extensions (and to tests). */
export interface ExtensionApi {
  serverCommand(): string | undefined;
  isRunning(): boolean;
  workloads(uri: vscode.Uri): Promise<WorkloadsResult | undefined>;
  /** `genaiScope/report` for the document: its report as `genai-scope report` renders it. */
  report(uri: vscode.Uri): Promise<ReportResult | undefined>;
}

const api: ExtensionApi = {
  serverCommand: () => serverCommand,
  isRunning: () => client?.state === State.Running,
  workloads: (uri) => requestWorkloads(uri),
  report: (uri) => requestReport(uri),
};

// ---------------------------------------------------------------------------------------------
// The language client

function ensureStarted(): Promise<void> {
  if (!starting) {
    starting = startClient().finally(() => {
      starting = undefined;
    });
  }
  return starting;
}

async function startClient(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('genaiScope');
  const found = findServer({
    settingPath: cfg.get<string>('server.path'),
    extensionPath: extensionContext.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    envPath: process.env.PATH,
  });
  if (!found.ok) {
    serverCommand = undefined;
    output.appendLine('The genai-scope language server was not found. Tried:');
    found.tried.forEach((t) => output.appendLine(`  - ${t}`));
    void notifyNotFound(found);
    updateStatusUnavailable('server not found');
    return;
  }
  serverCommand = found.command;
  const args = ['lsp', ...(cfg.get<string[]>('server.extraArgs') ?? [])];
  output.appendLine(`Starting ${found.command} ${args.join(' ')} (found: ${found.source})`);

  const serverOptions: ServerOptions = {
    run: { command: found.command, args },
    debug: { command: found.command, args },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    synchronize: {
      // Sends workspace/didChangeConfiguration when genaiScope.* changes; the server then pulls
      // `genaiScope` through workspace/configuration (severityOverrides, disabledRules).
      configurationSection: 'genaiScope',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.genai'),
    },
    initializationOptions: {
      severityOverrides: cfg.get('severityOverrides') ?? {},
      disabledRules: cfg.get('disabledRules') ?? [],
    },
    outputChannel: output,
    traceOutputChannel: traceOutput,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: { ...snippetEditsMiddleware(() => client), executeCommand: revealAfterCommand },
  };

  const c = new LanguageClient('genaiScope', 'genai-scope', serverOptions, clientOptions);
  c.registerFeature(snippetEditsFeature);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === c) updateStatusUnavailable('server stopped');
    if (e.newState === State.Running) scheduleRefresh(0);
  });
  try {
    await c.start();
    output.appendLine(`genai-scope language server running (${found.command}).`);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    output.appendLine(`The language server failed to start: ${msg}`);
    updateStatusUnavailable('server failed to start');
    const pick = await vscode.window.showErrorMessage(
      `genai-scope: the language server ${found.command} failed to start (${msg}). ` +
        `Check that "${found.command} lsp" runs in a terminal, or point "genaiScope.server.path" at a working binary.`,
      'Open Settings',
      'Show Output',
    );
    await handleFixChoice(pick);
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    if (c.state !== State.Stopped) await c.stop(2000);
  } catch (err) {
    output.appendLine(`Stopping the server: ${err instanceof Error ? err.message : String(err)}`);
  }
  await c.dispose().catch(() => undefined);
}

async function restartServer(): Promise<void> {
  if (starting) await starting;
  output.appendLine('Restarting the genai-scope language server.');
  await stopClient();
  cache.clear();
  reportCache.clear();
  await ensureStarted();
  scheduleRefresh(0);
}

async function notifyNotFound(found: NotFound): Promise<void> {
  const message = found.badSetting
    ? `genai-scope: "genaiScope.server.path" is set to "${found.badSetting}", but no executable file is there. ` +
      'Fix the path, or clear the setting to use the bundled binary or "genai-scope" on PATH.'
    : 'genai-scope: the language server was not found. Set "genaiScope.server.path" to the genai-scope ' +
      'binary, or put "genai-scope" on PATH (from the genai-scope repository: cargo install --path server), ' +
      'or install the platform-specific build of this extension, which bundles it.';
  const pick = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
  await handleFixChoice(pick);
}

async function handleFixChoice(pick: string | undefined): Promise<void> {
  if (pick === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'genaiScope.server.path');
  } else if (pick === 'Show Output') {
    output.show(true);
  }
}

// ---------------------------------------------------------------------------------------------
// genaiScope/workloads and genaiScope/report, cached per document version (and dropped when
// the server publishes new diagnostics: the configuration may have changed the analysis)

interface CacheEntry<T> {
  version: number;
  result: Promise<T | undefined>;
}

const cache = new Map<string, CacheEntry<WorkloadsResult>>();
const reportCache = new Map<string, CacheEntry<ReportResult>>();

function invalidate(uri: vscode.Uri): void {
  cache.delete(uri.toString());
  reportCache.delete(uri.toString());
}

function isTracked(uri: vscode.Uri): boolean {
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  return uri.toString() === active || uri.toString() === matrix?.uri.toString();
}

/** Sends `method` about `uri` once per document version; `extra` adds parameters and `check`
 *  validates the answer. A failed request is forgotten, so the next call asks again. */
async function cachedRequest<T>(
  uri: vscode.Uri,
  store: Map<string, CacheEntry<T>>,
  method: string,
  extra: Record<string, unknown>,
  check: (answer: T | null | undefined) => T,
): Promise<T | undefined> {
  if (starting) await starting;
  const c = client;
  if (!c || c.state !== State.Running) return undefined;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const version = doc?.version ?? -1;
  const key = uri.toString();
  const hit = store.get(key);
  if (hit && hit.version === version) return hit.result;
  const params = { textDocument: { uri: c.code2ProtocolConverter.asUri(uri) }, ...extra };
  const result = c.sendRequest<T | null>(method, params).then(check);
  store.set(key, { version, result });
  result.catch(() => {
    if (store.get(key)?.result === result) store.delete(key);
  });
  return result;
}

function requestWorkloads(uri: vscode.Uri): Promise<WorkloadsResult | undefined> {
  return cachedRequest<WorkloadsResult>(uri, cache, WORKLOADS_METHOD, {}, (r) =>
    r && Array.isArray(r.workloads) ? r : { workloads: [] },
  );
}

function requestReport(uri: vscode.Uri): Promise<ReportResult | undefined> {
  const format: ReportParams['format'] = 'html';
  return cachedRequest<ReportResult>(uri, reportCache, REPORT_METHOD, { format }, (r) => {
    if (!r || typeof r.content !== 'string') throw new Error(`${REPORT_METHOD} answered no report`);
    return r;
  });
}

// ---------------------------------------------------------------------------------------------
// Status bar and webview refresh

let refreshTimer: NodeJS.Timeout | undefined;

function scheduleRefresh(delayMs: number): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void refreshStatus();
    void refreshMatrix();
  }, delayMs);
}

function updateStatusUnavailable(why: string): void {
  if (!statusItem) return;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== LANGUAGE_ID) {
    statusItem.hide();
    return;
  }
  statusItem.text = '$(shield) genai-scope: off';
  statusItem.tooltip = `genai-scope: ${why}. Run "genai-scope: Show output" for details.`;
  statusItem.command = 'genaiScope.showOutput';
  statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  statusItem.show();
}

function scopeLabel(w: WorkloadInfo): string {
  return w.inferredScope != null ? `Scope ${w.inferredScope}: ${w.scopeName ?? ''}`.trim() : 'Scope ?';
}

async function refreshStatus(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const enabled = vscode.workspace.getConfiguration('genaiScope').get<boolean>('statusBar.enabled', true);
  if (!editor || editor.document.languageId !== LANGUAGE_ID || !enabled) {
    statusItem.hide();
    return;
  }
  if (!client || client.state !== State.Running) {
    if (!starting) updateStatusUnavailable(serverCommand ? 'server not running' : 'server not found');
    return;
  }
  let result: WorkloadsResult | undefined;
  try {
    result = await requestWorkloads(editor.document.uri);
  } catch (err) {
    output.appendLine(`${WORKLOADS_METHOD} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (vscode.window.activeTextEditor !== editor) return; // a newer refresh owns the item
  const w = workloadAt(result, editor.selection.active.line);
  statusItem.command = 'genaiScope.showScopingMatrix';
  if (!w) {
    statusItem.text = '$(shield) genai-scope';
    statusItem.tooltip = result ? 'No workload in this file.' : 'genai-scope: no scope information from the server.';
    statusItem.backgroundColor = undefined;
    statusItem.show();
    return;
  }
  const mismatch = w.declaredScope != null && w.inferredScope != null && w.declaredScope !== w.inferredScope;
  const missing = (w.disciplines ?? []).reduce((n, d) => n + (d.missing ?? 0), 0);
  statusItem.text = `$(shield) ${scopeLabel(w)}${missing > 0 ? ` $(warning) ${missing}` : ''}`;
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**workload "${escapeMd(w.name)}"**: ${escapeMd(scopeLabel(w))}\n\n`);
  if (w.declaredScope != null) {
    tip.appendMarkdown(`Declared scope: ${w.declaredScope}${mismatch ? ' (differs from the inferred scope)' : ''}\n\n`);
  }
  for (const r of w.reasons ?? []) tip.appendMarkdown(`- ${escapeMd(r)}\n`);
  tip.appendMarkdown(`\n${missing} required control${missing === 1 ? '' : 's'} missing. Click for the scoping matrix.`);
  statusItem.tooltip = tip;
  statusItem.backgroundColor = mismatch
    ? new vscode.ThemeColor('statusBarItem.warningBackground')
    : undefined;
  statusItem.show();
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

// ---------------------------------------------------------------------------------------------
// "Show scoping matrix": a webview with the server's HTML report of the file (`genaiScope/report`,
// the page `genai-scope report FILE` writes: the five scopes with the inferred one highlighted,
// the scope x discipline heat map and the findings), under a strict CSP and in the theme's colours

let matrix:
  | {
      panel: vscode.WebviewPanel;
      uri: vscode.Uri;
      /** What the panel shows now: setting the same page again would only flicker. */
      shown?: string;
    }
  | undefined;

function targetGenaiUri(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === LANGUAGE_ID) return editor.document.uri;
  if (matrix) return matrix.uri;
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === LANGUAGE_ID)?.document.uri;
}

async function showScopingMatrix(arg?: vscode.Uri): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : targetGenaiUri();
  if (!uri) {
    void vscode.window.showInformationMessage('genai-scope: open a .genai file to see its scoping matrix.');
    return;
  }
  if (!matrix) {
    const panel = vscode.window.createWebviewPanel(
      'genaiScope.matrix',
      'Scoping matrix',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // Its links run commands, and only these (no script in the page).
      { enableScripts: false, enableFindWidget: true, localResourceRoots: [], enableCommandUris: MATRIX_COMMANDS },
    );
    panel.iconPath = vscode.Uri.joinPath(extensionContext.extensionUri, 'images', 'icon.png');
    matrix = { panel, uri };
    panel.onDidDispose(() => {
      matrix = undefined;
    });
  } else {
    matrix.uri = uri;
    matrix.panel.reveal(undefined, true);
  }
  await refreshMatrix();
}

async function refreshMatrix(): Promise<void> {
  if (!matrix) return;
  const { panel } = matrix;
  // Follow the active .genai editor.
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === LANGUAGE_ID) matrix.uri = active.uri;
  const uri = matrix.uri;
  const name = path.basename(uri.fsPath || uri.path);
  panel.title = `Scoping matrix: ${name}`;
  const page = { cspSource: panel.webview.cspSource, documentUri: uri.toString() };
  let html: string;
  if (!client || client.state !== State.Running) {
    if (starting) await starting;
  }
  if (!client || client.state !== State.Running) {
    html = messageHtml(
      `Scoping matrix: ${name}`,
      'The genai-scope language server is not running: see "genai-scope: Show output".',
      page,
    );
  } else {
    try {
      const report = await requestReport(uri);
      html = report
        ? webviewHtml(report.content, page)
        : messageHtml(`Scoping matrix: ${name}`, 'The genai-scope language server is not running.', page);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      output.appendLine(`${REPORT_METHOD} failed: ${msg}`);
      html = messageHtml(
        `Scoping matrix: ${name}`,
        `The server could not answer ${REPORT_METHOD}: ${msg}. ` +
          'A genai-scope binary older than this extension does not know this request: update it, or clear "genaiScope.server.path" to use the bundled one.',
        page,
      );
    }
  }
  if (!matrix || matrix.panel !== panel || matrix.uri.toString() !== uri.toString()) return;
  if (matrix.shown === html) return;
  matrix.shown = html;
  panel.webview.html = html;
}

/** The matrix view's links: show a position of a document in its editor (the one already
 *  showing it, else beside the view) and, for a finding, open its quick fixes there. */
async function revealInDocument(uri: unknown, line: unknown, character: unknown, quickFix: unknown): Promise<void> {
  if (typeof uri !== 'string' || typeof line !== 'number') return;
  const target = vscode.Uri.parse(uri);
  const position = new vscode.Position(line, typeof character === 'number' ? character : 0);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.toString());
  const editor = await vscode.window.showTextDocument(target, {
    viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
    selection: new vscode.Range(position, position),
    preserveFocus: false,
  });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (quickFix === true) await vscode.commands.executeCommand('editor.action.quickFix');
}

// ---------------------------------------------------------------------------------------------
// "Explain this rule": `genai-scope explain <code-or-control-id>` in a read-only Markdown preview

class ExplainProvider implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  set(uri: vscode.Uri, text: string): void {
    this.docs.set(uri.toString(), text);
    this.emitter.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
}

const explainProvider = new ExplainProvider();

const RULE_ID = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const CONTROL_ID_AT = /[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)+/;

function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Rule ids at the cursor: the control id under it, then the codes of the diagnostics there
 *  (a `missing-control` diagnostic explains its control). */
function rulesAtCursor(editor: vscode.TextEditor): string[] {
  const doc = editor.document;
  const pos = editor.selection.active;
  const out: string[] = [];
  const word = doc.getWordRangeAtPosition(pos, CONTROL_ID_AT);
  if (word) out.push(doc.getText(word));
  for (const d of vscode.languages.getDiagnostics(doc.uri)) {
    if (d.source !== SOURCE || !d.range.contains(pos)) continue;
    const code = diagnosticCode(d);
    const m = /^missing control ([A-Za-z0-9_.-]+)/.exec(d.message);
    if (m) out.push(m[1]);
    if (code) out.push(code);
  }
  return [...new Set(out)];
}

async function pickRule(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === LANGUAGE_ID) {
    const here = rulesAtCursor(editor);
    if (here.length === 1) return here[0];
    if (here.length > 1) return vscode.window.showQuickPick(here, { placeHolder: 'Explain which rule?' });
    const inFile = new Set<string>();
    for (const d of vscode.languages.getDiagnostics(editor.document.uri)) {
      if (d.source !== SOURCE) continue;
      const m = /^missing control ([A-Za-z0-9_.-]+)/.exec(d.message);
      if (m) inFile.add(m[1]);
      const code = diagnosticCode(d);
      if (code) inFile.add(code);
    }
    if (inFile.size > 0) {
      const other = 'Another rule or control…';
      const pick = await vscode.window.showQuickPick([...inFile, other], {
        placeHolder: 'No rule at the cursor: explain one of this file\'s rules',
      });
      if (pick !== other) return pick;
    }
  }
  return vscode.window.showInputBox({
    prompt: 'A diagnostic code (e.g. scope-mismatch) or a control id (e.g. risk.threat_model)',
    validateInput: (v) => (RULE_ID.test(v.trim()) ? undefined : 'Not a rule code or control id'),
  });
}

/** The directory of the active file, so that `explain` reads that project's genai-scope.toml
 *  (its custom controls). */
function activeFileDir(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? path.dirname(uri.fsPath) : undefined;
}

function runExplain(command: string, id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { timeout: 15000, maxBuffer: 4 << 20, cwd: activeFileDir() };
    cp.execFile(command, ['explain', id], options, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || stdout || err.message).toString().trim();
        reject(new Error(detail || err.message));
      } else {
        resolve(stdout.toString());
      }
    });
  });
}

async function explainRule(arg?: unknown): Promise<void> {
  const raw = typeof arg === 'string' ? arg : await pickRule();
  const id = raw?.trim();
  if (!id) return;
  if (!RULE_ID.test(id)) {
    void vscode.window.showErrorMessage(`genai-scope: "${id}" is not a rule code or control id.`);
    return;
  }
  if (!serverCommand) {
    await ensureStarted();
    if (!serverCommand) {
      void vscode.window.showErrorMessage(
        'genai-scope: "Explain this rule" needs the genai-scope binary, which was not found. Set "genaiScope.server.path".',
      );
      return;
    }
  }
  let markdown: string;
  try {
    markdown = await runExplain(serverCommand, id);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    output.appendLine(`${serverCommand} explain ${id}: ${msg}`);
    void vscode.window.showErrorMessage(`genai-scope explain ${id}: ${msg}`);
    return;
  }
  const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${id}.md` });
  explainProvider.set(uri, markdown);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // No Markdown preview (the built-in extension disabled): the read-only document itself.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}
