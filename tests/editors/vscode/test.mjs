// VS Code test of editors/vscode: code-server (a real VS Code in the browser) in headless
// Chromium, driven by playwright-core, with the .vsix installed and the real genai-scope server.
//
//   node tests/editors/vscode/test.mjs
//
// Environment (run.sh sets them):
//   VSIX            the .vsix to install (required)
//   CODE_SERVER     the code-server binary (default .tools/code-server/node_modules/.bin/code-server)
//   CHROMIUM        default /usr/bin/chromium
//   GENAI_SCOPE_ROOT the repository (default: two folders up from here)
//   GENAI_SCOPE_FIXTURE the .genai file (default tests/editors/fixtures/support-assistant.genai)
//   ARTIFACTS       where screenshots go (default tests/artifacts)
//   KEEP_TMP=1      keep the temporary user-data / workspace folders
//
// Prints what it sees, one `ok`/`not ok` line per check and a closing `N passed, N failed`;
// exits non-zero on any failure. Screenshots: $ARTIFACTS/vscode*.png.
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = process.env.GENAI_SCOPE_ROOT ?? path.resolve(here, '../../..');
const require = createRequire(path.join(here, '..', 'package.json'));
const { chromium } = require('playwright-core');

const VSIX = process.env.VSIX;
const CODE_SERVER = process.env.CODE_SERVER ?? path.join(root, '.tools/code-server/node_modules/.bin/code-server');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FIXTURE = process.env.GENAI_SCOPE_FIXTURE ?? path.join(root, 'tests/editors/fixtures/support-assistant.genai');
const ARTIFACTS = process.env.ARTIFACTS ?? path.join(root, 'tests/artifacts');
const TIMEOUT = Number(process.env.GENAI_SCOPE_TIMEOUT_MS ?? 30000);
const FILE = 'support-assistant.genai';
const WANT_CONTROL = 'risk.threat_model';
const HOVER_CONTROL = 'risk.prompt_injection';
// A workload and an agent each missing four controls.
const AGENT_FIXTURE = path.join(root, 'tests/editors/fixtures/ticket-triage.genai');
const AGENT_FILE = 'ticket-triage.genai';

const t0 = Date.now();
let passed = 0;
let failed = 0;
const say = (s) => process.stdout.write(`${s}\n`);
const indent = (s) => String(s).split('\n').map((l) => `    | ${l}`).join('\n');
function check(name, cond, detail) {
  if (cond) passed++;
  else failed++;
  say(`${cond ? 'ok' : 'not ok'} - ${name}`);
  if (detail !== undefined && detail !== null && String(detail) !== '') say(indent(detail));
  return !!cond;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function timed(label, f) {
  const s = Date.now();
  try {
    return await f();
  } finally {
    say(`  (${label}: ${Date.now() - s} ms)`);
  }
}
async function waitFor(f, timeout = TIMEOUT, interval = 200) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await f();
      if (last) return last;
    } catch {
      /* retry */
    }
    if (Date.now() > end) return last;
    await sleep(interval);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code, out }));
    p.on('error', (e) => resolve({ code: -1, out: String(e) }));
  });
}

// ---------------------------------------------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'genai-scope-vscode-'));
const userData = path.join(tmp, 'user-data');
const extDir = path.join(tmp, 'extensions');
const workspace = path.join(tmp, 'workspace');
let server;
let serverLog = '';
let browser;
let page;

function cleanup() {
  try {
    if (server && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  else say(`# kept ${tmp}`);
}

function extensionLogs() {
  // The extension's output channels are logged under the user-data dir.
  const out = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/genai-scope|exthost\.log|remoteexthost\.log/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(userData, 'logs'));
  return out
    .map((p) => `--- ${path.relative(userData, p)}\n${fs.readFileSync(p, 'utf8').slice(-4000)}`)
    .join('\n');
}

async function screenshot(name) {
  if (!page) return;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const p = path.join(ARTIFACTS, name);
  try {
    await page.screenshot({ path: p });
    say(`# screenshot: ${path.relative(root, p)}`);
  } catch (e) {
    say(`# screenshot failed: ${e.message}`);
  }
}

async function finish() {
  if (failed > 0) {
    await screenshot('vscode-failure.png');
    say('# code-server log (tail):');
    say(indent(serverLog.slice(-3000)));
    say('# extension logs:');
    say(indent(extensionLogs() || '(none)'));
  }
  try {
    await browser?.close();
  } catch {
    /* ignore */
  }
  cleanup();
  say(`vscode test: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  say(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

async function fatal(name, detail) {
  check(name, false, detail);
  await finish();
}

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    say(`# ${sig}: stopping code-server`);
    cleanup();
    process.exit(1);
  });
}
process.on('unhandledRejection', async (e) => {
  await fatal('no unexpected error', e && e.stack ? e.stack : String(e));
});
const guard = setTimeout(() => fatal('the test finishes within 6 minutes'), 6 * 60 * 1000);
guard.unref();

// ---------------------------------------------------------------------------------------------
try {
  await main();
} catch (e) {
  await fatal('no unexpected error', e && e.stack ? e.stack : String(e));
}

async function main() {
say('# genai-scope VS Code test (code-server in headless Chromium)');
if (!VSIX || !fs.existsSync(VSIX)) await fatal('VSIX names a .vsix file', `VSIX=${VSIX}`);
if (!fs.existsSync(CODE_SERVER)) await fatal('code-server is installed', `${CODE_SERVER}: run tests/editors/setup.sh`);
if (!fs.existsSync(CHROMIUM)) await fatal('chromium is installed', `${CHROMIUM}: run tests/editors/setup.sh`);

fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(workspace, { recursive: true });
fs.copyFileSync(FIXTURE, path.join(workspace, FILE));
// In the workspace from the start: Quick Open may not find a file added later.
fs.copyFileSync(AGENT_FIXTURE, path.join(workspace, AGENT_FILE));
const original = fs.readFileSync(path.join(workspace, FILE), 'utf8');
fs.writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.colorTheme': 'Default Dark Modern',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'extensions.ignoreRecommendations': true,
      'git.enabled': false,
      'chat.commandCenter.enabled': false,
      'editor.hover.delay': 200,
      'editor.minimap.enabled': false,
      'files.autoSave': 'off',
      'genaiScope.trace.server': 'messages',
    },
    null,
    2,
  ),
);

const common = ['--user-data-dir', userData, '--extensions-dir', extDir];
const install = await timed('install the .vsix', () =>
  run(CODE_SERVER, [...common, '--install-extension', VSIX, '--force']),
);
check(`code-server --install-extension ${path.basename(VSIX)}`, install.code === 0, install.out.trim());
const listed = await run(CODE_SERVER, [...common, '--list-extensions', '--show-versions']);
check('the extension is listed', /genai-scope\.genai-scope@/.test(listed.out), listed.out.trim());
const bundled = fs
  .readdirSync(extDir)
  .filter((d) => d.startsWith('genai-scope.genai-scope'))
  .map((d) => path.join(extDir, d, 'server', 'genai-scope'))
  .find((p) => fs.existsSync(p));
say(`# bundled server: ${bundled ?? '(none: the extension will look on PATH)'}`);

const port = await freePort();
server = spawn(
  CODE_SERVER,
  [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...common,
    workspace,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env } },
);
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
process.on('exit', () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
});

const healthy = await timed('code-server start', () =>
  waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60000, 250),
);
if (!check(`code-server answers /healthz on 127.0.0.1:${port}`, healthy)) await finish();

browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
page = await context.newPage();
const consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
});

await timed('workbench load', async () => {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await page.waitForSelector('.part.statusbar', { timeout: 60000 });
});
check('the VS Code workbench loads', true);

// --- open the file ---------------------------------------------------------------------------
const editorSel = '.editor-instance .monaco-editor';
// Focuses the text editor of the fixture, wherever the focus is (a webview, the Settings editor).
async function focusEditor(file = FILE) {
  const tab = page
    .locator('.tabs-container .tab')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${file.replace(/[.]/g, '\\.')}$`) }) })
    .first();
  await page.keyboard.press('Escape'); // a hover or a widget
  await tab.click(); // activates the tab and focuses its editor
  await sleep(300);
}
async function openFile(file = FILE) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[aria-label*="${file}"]`).first().waitFor({ timeout: 10000 });
  await page.locator(editorSel).first().waitFor({ timeout: 10000 });
}
const opened = await timed('open the file', () =>
  openFile(FILE)
    .then(() => true)
    .catch(async (e) => {
      // Fallback: the Explorer.
      say(`# quick open failed (${e.message.split('\n')[0]}); using the Explorer`);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+E');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click({ timeout: 15000 });
      await page.locator(editorSel).first().waitFor({ timeout: 10000 });
      return true;
    })
    .catch((e) => e.message),
);
if (!check(`${FILE} opens in an editor`, opened === true, opened === true ? '' : opened)) await finish();

const modeText = await waitFor(async () => {
  const t = (await page.locator('#status\\.editor\\.mode').first().innerText()).trim();
  return t && t !== 'Plain Text' ? t : '';
}, 15000);
check('the language mode is the genai language', /GenAI workload|genai/i.test(modeText ?? ''), `status bar: ${modeText}`);

// TextMate colouring: `workload` (keyword) is not coloured like the plain text around it.
async function tokenColour(text) {
  return page.evaluate((t) => {
    const spans = [...document.querySelectorAll('.editor-instance .view-line span span')];
    const s = spans.find((x) => x.textContent === t);
    return s ? getComputedStyle(s).color : null;
  }, text);
}
const kwColour = await waitFor(() => tokenColour('workload'), 15000);
const strColour = await tokenColour('"support-assistant"');
const propColour = await tokenColour('owner');
check(
  'the TextMate grammar colours keywords, labels and attributes differently',
  kwColour && strColour && propColour && new Set([kwColour, strColour, propColour]).size === 3,
  `workload: ${kwColour}; "support-assistant": ${strColour}; owner: ${propColour}`,
);

// --- diagnostics in the Problems panel --------------------------------------------------------
await page.keyboard.press('Control+Shift+M');
const problemsSel = '.markers-panel .monaco-list-row';
async function problemRows() {
  return page.locator(problemsSel).evaluateAll((rows) =>
    rows.map((r) => (r.getAttribute('aria-label') || r.textContent || '').replace(/\s+/g, ' ').trim()),
  );
}
const rows = await timed('diagnostics in the Problems panel', () =>
  waitFor(async () => {
    const r = await problemRows();
    return r.some((x) => x.includes(`missing control ${WANT_CONTROL}`)) ? r : null;
  }, 45000),
);
say('# Problems panel:');
say(indent((rows ?? (await problemRows().catch(() => []))).join('\n') || '(empty)'));
if (!check(`the Problems panel shows "missing control ${WANT_CONTROL}"`, !!rows)) await finish();
check('the problem is attributed to genai-scope', rows.some((r) => r.includes('genai-scope')));
await screenshot('vscode-1-problems.png');

// --- status bar: the inferred scope -----------------------------------------------------------
const statusText = await waitFor(async () => {
  const items = await page.locator('.statusbar-item').evaluateAll((els) => els.map((e) => e.textContent.trim()));
  return items.find((t) => /Scope \d/.test(t));
}, 15000);
check('the status bar shows the inferred scope (Scope 3)', /Scope 3/.test(statusText ?? ''), `status bar: ${statusText}`);

// --- hover a control --------------------------------------------------------------------------
async function gotoLine(line, col) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 5000 });
  await input.fill(`:${line}:${col}`);
  await page.keyboard.press('Enter');
  await sleep(300);
}
const lines = original.split('\n');
const hoverLine = lines.findIndex((l) => l.trim().startsWith(`control ${HOVER_CONTROL}`)) + 1;
const hoverText = await timed('hover', async () => {
  await focusEditor();
  // The cursor (for the keyboard's hover) on the control's own name, past "risk.".
  await gotoLine(hoverLine, lines[hoverLine - 1].indexOf(HOVER_CONTROL) + 'risk.'.length + 4);
  const token = page.locator('.editor-instance .view-line span span', { hasText: HOVER_CONTROL }).first();
  await token.waitFor({ timeout: 5000 });
  // On the control's own name: the "risk." part explains the discipline.
  const box = await token.boundingBox();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  let text = await waitFor(async () => {
    const h = page.locator('.monaco-hover:not(.hidden) .rendered-markdown');
    const t = [...new Set(await h.allInnerTexts())].join('\n');
    return t.includes(HOVER_CONTROL) ? t : '';
  }, 10000);
  if (!text) {
    // The keyboard way: editor.action.showHover (Ctrl+K Ctrl+I).
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    text = await waitFor(async () => {
      const t = (await page.locator('.monaco-hover:not(.hidden)').allInnerTexts()).join('\n');
      return t.includes(HOVER_CONTROL) ? t : '';
    }, 10000);
  }
  return text;
});
say('# hover:');
say(indent(hoverText || '(nothing)'));
check(`hovering ${HOVER_CONTROL} shows its documentation`, (hoverText ?? '').includes(HOVER_CONTROL));
check('the documentation says where it is required ("Required in scopes")', /Required in scopes/.test(hoverText ?? ''));
await screenshot('vscode-2-hover.png');
await page.keyboard.press('Escape');

// --- quick fix with Ctrl+. --------------------------------------------------------------------
const wlLine = lines.findIndex((l) => /^\s*workload\s+"/.test(l)) + 1;
const fixTitle = `Add missing control ${WANT_CONTROL}`;
const applied = await timed('quick fix', async () => {
  await focusEditor();
  await gotoLine(wlLine, lines[wlLine - 1].indexOf('"') + 3);
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  await menu.waitFor({ timeout: 10000 });
  const item = page.locator('.action-widget .monaco-list-row', { hasText: fixTitle }).first();
  const seen = await waitFor(async () => (await item.count()) > 0, 10000);
  const titles = await page
    .locator('.action-widget .monaco-list-row')
    .evaluateAll((els) => els.map((e) => e.textContent.trim()));
  say('# Ctrl+. offers:');
  say(indent(titles.join('\n')));
  if (!seen) return false;
  // The keyboard, as a user would (a pointer block covers the list while it opens).
  for (let i = 0; i < 20; i++) {
    const focused = await page
      .locator('.action-widget .monaco-list-row.focused')
      .first()
      .getAttribute('aria-label')
      .catch(() => null);
    if (focused === fixTitle) {
      await page.keyboard.press('Enter');
      return true;
    }
    await page.keyboard.press('ArrowDown');
    await sleep(100);
  }
  return false;
});
check(`Ctrl+. offers and applies "${fixTitle}"`, applied);

// The fix is a snippet edit: the cursor lands in the new block, its due date selected, and Tab
// goes on to the owner.
async function cursorStatus() {
  return (await page.locator('#status\\.editor\\.selection').first().innerText().catch(() => '')).trim();
}
const dueCursor = await waitFor(async () => {
  const t = await cursorStatus();
  return /\(10 selected\)/.test(t) ? t : null;
}, 5000);
const dueLine = Number(/Ln (\d+)/.exec(dueCursor ?? '')?.[1]);
await page.keyboard.type('2099-12-31');
await page.keyboard.press('Tab');
await page.keyboard.type('sre@example.com');
await page.keyboard.press('Escape');

const cleared = await timed('problem cleared', () =>
  waitFor(async () => {
    const r = await problemRows();
    return r.some((x) => x.includes(`missing control ${WANT_CONTROL}`)) ? null : r;
  }, 30000),
);
check(`the "missing control ${WANT_CONTROL}" problem disappears`, !!cleared, (cleared ?? (await problemRows())).join('\n'));

await page.keyboard.press('Control+S');
const saved = await waitFor(() => {
  const t = fs.readFileSync(path.join(workspace, FILE), 'utf8');
  return t !== original ? t : null;
}, 10000);
check(
  `the saved file declares control ${WANT_CONTROL} { status = planned, due and owner as typed }`,
  !!saved &&
    new RegExp(
      `\\n\\n  control\\s+${WANT_CONTROL.replace('.', '\\.')}\\s*\\{\\s*status\\s*=\\s*planned\\s*due\\s*=\\s*"2099-12-31"\\s*owner\\s*=\\s*"sre@example\\.com"\\s*\\}`,
    ).test(saved),
  saved ? saved.split('\n').slice(-8).join('\n') : '(file unchanged on disk)',
);
check(
  'applying it put the cursor in the new block with its due date selected (snippet edit)',
  !!saved && /^\s*due\s*=/.test(saved.split('\n')[dueLine - 1] ?? ''),
  `${dueCursor ?? '(no selection)'}: ${saved?.split('\n')[dueLine - 1] ?? ''}`,
);
await screenshot('vscode-3-quickfix.png');

// --- format document ------------------------------------------------------------------------
await timed('format', async () => {
  await focusEditor();
  await runCommand('Format Document');
  await sleep(1000);
  await page.keyboard.press('Control+S');
});
const formatted = await waitFor(() => {
  const t = fs.readFileSync(path.join(workspace, FILE), 'utf8');
  return /\n {4}base {5}= /.test(t) ? t : null;
}, 10000);
check(
  'Format Document aligns the model block',
  !!formatted,
  (formatted ?? fs.readFileSync(path.join(workspace, FILE), 'utf8')).split('\n').slice(12, 18).join('\n'),
);

// --- the scoping matrix webview ---------------------------------------------------------------
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 5000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
}
// What a report page shows, read from its DOM: the same function reads the webview and the
// CLI's page (parsed with DOMParser in the workbench, no second tab: a background tab gets no
// animation frames), so that the two can be compared. Styles are only computed in the webview.
function readReport(doc) {
  const document = doc ?? globalThis.document;
  const getComputedStyle = (e) => (doc ? { getPropertyValue: () => '' } : globalThis.getComputedStyle(e));
  const section = document.querySelector('section.workload[data-inferred-scope="3"]');
  if (!section) return null;
  const inferred = [...section.querySelectorAll('.scopes .scope.inferred')];
  const style = inferred[0] ? getComputedStyle(inferred[0]) : null;
  const rows = [...section.querySelectorAll('table.heatmap tbody tr')];
  const firstCell = section.querySelector('table.heatmap td.cell');
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const norm = (t) => (t ?? '').replace(/\s+/g, ' ').trim();
  return {
    name: section.getAttribute('data-name'),
    heading: norm(section.querySelector('h2')?.textContent),
    inferred: inferred.map((e) => e.getAttribute('data-scope')),
    inferredText: norm(inferred[0]?.textContent),
    inferredBorder: style ? `${style.borderTopWidth} ${style.borderTopStyle} ${style.borderTopColor}` : null,
    inferredHeader: section.querySelector('table.heatmap thead th.inferred')?.getAttribute('data-scope') ?? null,
    disciplines: rows.map((r) => norm(r.querySelector('th')?.textContent)),
    rows: rows.map((r) =>
      [...r.children].map((c) => (c.tagName === 'TH' ? norm(c.textContent) : c.getAttribute('data-missing') ?? '-')).join(' | '),
    ),
    cellBackground: firstCell ? getComputedStyle(firstCell).backgroundColor : null,
    sections: [...document.querySelectorAll('section')].map((e) => norm(e.textContent)),
    summary: norm(document.querySelector('p.summary')?.textContent),
    csp: csp ? csp.getAttribute('content') : null,
    bodyBackground: getComputedStyle(document.body).backgroundColor,
    themeBackground: getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim(),
    scripts: document.querySelectorAll('script').length,
    // The commands its links run (the webview turns the report's anchors into command links).
    commands: [...new Set([...document.querySelectorAll('a[href^="command:"]')].map((a) => a.getAttribute('href').slice(8).split('?')[0]))],
    missingListed: document.querySelectorAll('ul.missing li').length,
    scrollWidth: document.documentElement.scrollWidth,
    viewportWidth: document.documentElement.clientWidth,
  };
}
const matrix = await timed('scoping matrix webview', async () => {
  await focusEditor();
  await runCommand('genai-scope: Show scoping matrix');
  return waitFor(async () => {
    // A webview is an iframe in an iframe: look in every frame.
    for (const f of page.frames()) {
      const info = await f.evaluate(readReport, null).catch(() => null);
      if (info && info.rows.length > 0) return info;
    }
    return null;
  }, 20000);
});
say('# scoping matrix webview:');
say(
  indent(
    matrix
      ? [
          `${matrix.heading} (data-name=${matrix.name})`,
          `inferred scope card: ${matrix.inferred.join(',')} "${matrix.inferredText}", border ${matrix.inferredBorder}`,
          `heat map (discipline | missing per scope 1..5), inferred column ${matrix.inferredHeader}:`,
          ...matrix.rows,
          `CSP: ${matrix.csp}`,
          `body background ${matrix.bodyBackground} (theme --vscode-editor-background ${matrix.themeBackground})`,
        ].join('\n')
      : '(not found)',
  ),
);
check('"Show scoping matrix" shows the report: a section.workload with data-inferred-scope="3"', matrix?.name === 'support-assistant');
check(
  'scope 3, and only it, is highlighted as the inferred scope (card outlined in blue, heat-map column)',
  matrix?.inferred.join(',') === '3' && matrix?.inferredHeader === '3' && /3px solid rgb\(9, 105, 218\)/.test(matrix?.inferredBorder ?? ''),
  matrix ? `${matrix.inferred} / ${matrix.inferredHeader} / ${matrix.inferredBorder}` : '',
);
check(
  'the heat map has 5 discipline rows, coloured by the report (inline styles pass the CSP)',
  matrix?.rows.length === 5 && !!matrix?.cellBackground && !/rgba\(0, 0, 0, 0\)|transparent/.test(matrix.cellBackground),
  matrix ? `${matrix.disciplines.join(', ')}; first cell background ${matrix.cellBackground}` : '',
);
check(
  'the webview has the strict Content-Security-Policy and no script',
  /^default-src 'none'; style-src 'unsafe-inline' [^;]+; img-src [^;]+ data:$/.test(matrix?.csp ?? '') && matrix?.scripts === 0,
  matrix?.csp ?? '',
);
check(
  'the matrix links reveal the workload (and add missing controls when some are listed): command links, nothing else',
  matrix?.commands.includes('genaiScope.revealInDocument') &&
    (matrix.missingListed === 0 || matrix.commands.includes('genai-scope.addMissingControls')) &&
    matrix.commands.every((c) => ['genaiScope.revealInDocument', 'genai-scope.addMissingControls'].includes(c)),
  `${JSON.stringify(matrix?.commands ?? null)}; ${matrix?.missingListed} missing listed`,
);
check(
  'the matrix view fits its pane: nothing scrolls sideways',
  !!matrix && matrix.scrollWidth <= matrix.viewportWidth,
  matrix ? `${matrix.scrollWidth} > ${matrix.viewportWidth}` : '',
);
const hexToRgb = (h) => {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(h ?? '');
  return m ? `rgb(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)})` : h;
};
check(
  'the page follows the VS Code theme (body background = --vscode-editor-background)',
  !!matrix?.themeBackground && matrix.bodyBackground === hexToRgb(matrix.themeBackground),
  matrix ? `${matrix.bodyBackground} / ${matrix.themeBackground}` : '',
);

// The same rendering as the CLI: `genai-scope report FILE` on the saved file, from the workspace
// (the server names the file relative to it), loaded in a blank tab and read the same way.
const cliBin = bundled ?? process.env.GENAI_SCOPE_BIN;
const cli = cliBin
  ? await new Promise((resolve) =>
      execFile(cliBin, ['report', FILE, '--format', 'html'], { cwd: workspace, maxBuffer: 16 << 20 }, (err, out, errOut) =>
        resolve({ code: err ? err.code ?? -1 : 0, out: err ? `${errOut}${err.message}` : out }),
      ),
    )
  : { code: -1, out: 'no genai-scope binary' };
let cliReport = null;
if (cli.code === 0) {
  cliReport = await page
    .evaluate(`(${readReport})(new DOMParser().parseFromString(${JSON.stringify(cli.out)}, 'text/html'))`)
    .catch((e) => ({ error: e.message }));
}
check(`genai-scope report ${FILE} renders the same workload`, !!cliReport && cliReport.heading === matrix?.heading,
  cliReport ? `CLI: ${cliReport.heading ?? cliReport.error}; webview: ${matrix?.heading}` : cli.out.slice(0, 500));
const sameText = !!cliReport && !!matrix && JSON.stringify(cliReport.sections) === JSON.stringify(matrix.sections) &&
  cliReport.summary === matrix.summary && JSON.stringify(cliReport.rows) === JSON.stringify(matrix.rows);
check('the webview text is the CLI report text (summary, every section, the heat-map counts)', sameText,
  sameText ? `${matrix.sections.length} section(s); ${matrix.summary}` :
    `CLI:\n${JSON.stringify(cliReport?.sections ?? null, null, 1).slice(0, 1500)}\nwebview:\n${JSON.stringify(matrix?.sections ?? null, null, 1).slice(0, 1500)}`);
await page.mouse.move(5, 700); // no tooltip in the picture
// The picture: the scope cards and the heat map (the webview scrolled, as a user would).
for (const f of page.frames()) {
  await f.evaluate(() => document.querySelector('section.workload .scopes')?.scrollIntoView()).catch(() => {});
}
await sleep(500);
await screenshot('vscode.png');

// --- explain this rule ------------------------------------------------------------------------
const explained = await timed('explain this rule', async () => {
  await focusEditor();
  await gotoLine(hoverLine, lines[hoverLine - 1].indexOf(HOVER_CONTROL) + 3);
  await runCommand('genai-scope: Explain this rule');
  const tab = await waitFor(async () => (await page.locator(`.tab[aria-label*="${HOVER_CONTROL}"]`).count()) > 0, 15000);
  if (!tab) say('# no editor tab named after the rule opened');
  // The Markdown preview is a webview: its text is in a nested frame.
  const text = await waitFor(async () => {
    for (const f of page.frames()) {
      // Not the workbench (the editor shows the control id too), nor the scoping matrix's page.
      if (f === page.mainFrame()) continue;
      const t = await f
        .evaluate(() => (document.querySelector('section.workload') ? '' : document.body?.innerText ?? ''))
        .catch(() => '');
      if (t.includes(HOVER_CONTROL)) return t;
    }
    return null;
  }, 15000);
  if (!text) {
    for (const f of page.frames()) {
      const t = await f.evaluate(() => document.body?.innerText ?? '').catch((e) => `(${e.message})`);
      say(`# frame ${f.url().slice(0, 120)}: ${t.slice(0, 200).replace(/\s+/g, ' ')}`);
    }
  }
  return text;
});
say('# explain:');
say(indent((explained ?? '(nothing)').slice(0, 600)));
check(`"Explain this rule" shows the docs of ${HOVER_CONTROL}`, !!explained);
await screenshot('vscode-4-explain.png');

// --- a broken genaiScope.server.path: a clear notification with the fix -----------------------
// Set in the Settings editor, as a user would (code-server does not pick up a settings.json
// written behind its back).
async function setServerPath(value) {
  const input = page.locator('.settings-editor input[aria-label="genaiScope.server.path"]').first();
  if (await input.isVisible().catch(() => false)) {
    await input.fill(value);
    await input.press('Tab');
    return;
  }
  await runCommand('Preferences: Open User Settings');
  const editor = page.locator('.settings-editor');
  await editor.waitFor({ timeout: 10000 });
  await page.locator('.settings-editor .suggest-input-container .monaco-editor').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('genaiScope.server.path');
  // A machine-overridable setting: under "Remote" in code-server (the User tab hides it).
  const remoteTab = page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: 'Remote' }).first();
  if ((await remoteTab.count()) > 0) {
    await remoteTab.click();
    // Under load the User tab's input can still be the one on screen: fill the Remote one.
    await waitFor(async () => /\bchecked\b/.test((await remoteTab.getAttribute('class')) ?? ''), 5000);
    await sleep(300);
  }
  await input.waitFor({ timeout: 10000 });
  await input.fill(value);
  await input.press('Tab');
}
// Where the Settings editor wrote genaiScope.server.path (User or Machine settings).
function settingFiles() {
  return ['User', 'Machine']
    .map((d) => path.join(userData, d, 'settings.json'))
    .filter((p) => fs.existsSync(p))
    .map((p) => {
      const m = /"genaiScope\.server\.path":\s*"[^"]*"/.exec(fs.readFileSync(p, 'utf8'));
      return `${path.relative(userData, p)}: ${m ? m[0] : '(not set)'}`;
    })
    .join('\n');
}
const notice = await timed('bad server path notification', async () => {
  await setServerPath('/nonexistent/genai-scope');
  return waitFor(async () => {
    const t = (await page.locator('.notifications-toasts .notification-list-item').allInnerTexts()).join('\n');
    return t.includes('genaiScope.server.path') ? t : null;
  }, 20000);
});
say('# settings after setting the path:');
say(indent(settingFiles()));
say('# notification:');
say(indent(notice ?? '(none)'));
check('a broken genaiScope.server.path raises a notification naming the setting and the fix',
  !!notice && /no executable file/.test(notice) && /Open Settings/.test(notice));
await screenshot('vscode-5-bad-path.png');
const back = await timed('server restarts with the bundled binary', async () => {
  await setServerPath('');
  await page.keyboard.press('Control+W'); // close the Settings editor
  await focusEditor();
  return waitFor(async () => {
    const items = await page.locator('.statusbar-item').evaluateAll((els) => els.map((e) => e.textContent.trim()));
    return items.find((t) => /Scope 3/.test(t));
  }, 20000);
});
check('clearing the setting restarts the server (status bar: Scope 3 again)', !!back, back ?? settingFiles());

// --- "Restart server" ------------------------------------------------------------------------
function outputLog() {
  const logs = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/-genai-scope\.log$/.test(e.name)) logs.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(userData, 'logs'));
  return logs.join('\n');
}
const count = (re) => (outputLog().match(re) ?? []).length;
const restartsBefore = count(/genai-scope language server running/g);
const restarted = await timed('restart server', async () => {
  await focusEditor();
  await runCommand('genai-scope: Restart server');
  return waitFor(() => count(/genai-scope language server running/g) > restartsBefore, 20000);
});
check('"genai-scope: Restart server" starts a new server', !!restarted,
  outputLog().split('\n').filter((l) => /Restart|running|Starting/.test(l)).join('\n'));
const afterRestart = await waitFor(async () => {
  const items = await page.locator('.statusbar-item').evaluateAll((els) => els.map((e) => e.textContent.trim()));
  return items.find((t) => /Scope 3/.test(t));
}, 20000);
check('after the restart the status bar shows Scope 3', !!afterRestart, afterRestart ?? '');

// --- a workload and an agent, each missing several controls ----------------------------------
const agentLines = fs.readFileSync(AGENT_FIXTURE, 'utf8').split('\n');
const twlLine = agentLines.findIndex((l) => /^workload "ticket-triage"/.test(l)) + 1;
const agentLine = agentLines.findIndex((l) => /^\s*agent "triage-agent"/.test(l)) + 1;
const ownerLine = agentLines.findIndex((l) => /^\s*owner\s*=/.test(l)) + 1;
const agentOpened = await timed(`open ${AGENT_FILE}`, () =>
  openFile(AGENT_FILE)
    .then(() => true)
    .catch((e) => e.message),
);
check(`${AGENT_FILE} opens in an editor`, agentOpened === true, agentOpened === true ? '' : agentOpened);
await page.keyboard.press('Control+Shift+M');
const agentRows = await timed('its problems', () =>
  waitFor(async () => {
    const r = (await problemRows()).filter((x) => /ticket-triage|triage-agent/.test(x));
    return r.some((x) => x.includes('workload "ticket-triage" is missing')) && r.some((x) => x.includes('agent "triage-agent" is missing'))
      ? r
      : null;
  }, 30000),
);
say('# Problems panel (ticket-triage):');
say(indent((agentRows ?? (await problemRows())).join('\n')));
const missingRows = (agentRows ?? []).filter((x) => / is missing \d+ controls/.test(x));
check(
  'one problem for the workload\'s 4 missing controls and one for the agent\'s 4, both errors',
  missingRows.length === 2 &&
    missingRows.some((x) => /^Error: workload "ticket-triage" is missing 4 controls/.test(x)) &&
    missingRows.some((x) => /^Error: agent "triage-agent" is missing 4 controls/.test(x)),
  missingRows.join('\n'),
);

// The code lenses above the workload and the agent.
async function lensTexts() {
  return page
    .locator('.editor-instance .codelens-decoration')
    .evaluateAll((els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
}
// Lenses are drawn for the lines on screen only: the workload's, then the agent's.
const lensesSeen = await timed('code lenses', async () => {
  const seen = new Set();
  for (const [line, want] of [[twlLine, /^Scope 3/], [agentLine, /^Agency/]]) {
    await gotoLine(line, 1);
    const t = await waitFor(async () => {
      const texts = await lensTexts();
      return texts.some((x) => want.test(x)) ? texts : null;
    }, 10000);
    for (const x of t ?? (await lensTexts())) if (x) seen.add(x);
  }
  return [...seen];
});
say('# code lenses:');
say(indent(lensesSeen.join('\n')));
check('the workload\'s code lens reads "Scope 3 · 4 missing | Add all | Show matrix"',
  lensesSeen.includes('Scope 3 · 4 missing | Add all | Show matrix'));
check('the agent\'s code lens names its agency scope and its 4 missing controls',
  lensesSeen.some((x) => /^Agency 2\b/.test(x) && x.includes('4 missing')));
await focusEditor(AGENT_FILE);
await gotoLine(twlLine, 1);
await page.mouse.move(5, 700);
await screenshot('vscode-6-lenses.png');

// The light bulb shows on the workload's name, not on a plain attribute line.
async function lightBulb() {
  return page.evaluate(() =>
    [...document.querySelectorAll('.editor-instance .lightBulbWidget, .editor-instance [class*="gutter-lightbulb"]')].some(
      (e) => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().width > 0,
    ),
  );
}
await gotoLine(twlLine, agentLines[twlLine - 1].indexOf('"') + 3);
const bulbOnName = await waitFor(lightBulb, 10000);
await gotoLine(ownerLine, 5);
await sleep(1500); // the light bulb's request is made after a short delay
const bulbOnOwner = await lightBulb();
check('a light bulb on the workload\'s name, none on the plain line `owner = ...`', bulbOnName && !bulbOnOwner,
  `on the name: ${bulbOnName}; on owner: ${bulbOnOwner}`);
await page.keyboard.press('Control+.');
const noActions = await waitFor(async () => {
  const t = (await page.locator('.monaco-editor .monaco-editor-overlaymessage, .action-widget').allInnerTexts()).join('\n');
  return t.trim() ? t.trim() : null;
}, 5000);
check('Ctrl+. on `owner = ...` offers no code action', /No code actions available/i.test(noActions ?? ''), noActions ?? '(nothing shown)');
await page.keyboard.press('Escape');

// Ctrl+. on the workload: add all first, then one per control, then one suppression.
async function quickFixRows(line, column) {
  await gotoLine(line, column);
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget').waitFor({ timeout: 10000 });
  await waitFor(async () => (await page.locator('.action-widget .monaco-list-row.action').count()) > 0, 10000);
  await sleep(300);
  return page.locator('.action-widget .monaco-list-row.action').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent.trim()));
}
const wlFixes = await timed('quick fixes on the workload', () => quickFixRows(twlLine, agentLines[twlLine - 1].indexOf('"') + 3));
say('# Ctrl+. on the workload offers:');
say(indent(wlFixes.join('\n')));
// (Other findings on the same name add their own fixes after these.)
check(
  'Ctrl+. on the workload: "Add all 4 missing controls" first, one row per control, one suppression',
  wlFixes[0] === 'Add all 4 missing controls' && /^Suppress missing-control /.test(wlFixes[5]) &&
    wlFixes.slice(1, 5).every((t) => t.startsWith('Add missing control ')) &&
    !wlFixes.slice(6).some((t) => /^(Add missing control|Add all|Suppress missing-control)/.test(t)),
);
await screenshot('vscode-7-quickfixes.png');
await page.keyboard.press('Escape');

// Completion of a control id: the four missing first, labelled so.
await gotoLine(twlLine + 4, 1); // `criticality = ...`
await page.keyboard.press('End');
await page.keyboard.press('Enter');
await page.keyboard.type('control ');
await page.keyboard.press('Control+Space');
const suggestions = await timed('completion', () =>
  waitFor(async () => {
    const rows = await page
      .locator('.suggest-widget .monaco-list-row')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent).replace(/\s+/g, ' ').trim()));
    return rows.length >= 5 ? rows : null;
  }, 10000),
);
say('# completion after `control `:');
say(indent((suggestions ?? []).slice(0, 6).join('\n')));
const missingIds = ['risk.threat_model', 'risk.untrusted_content', 'resilience.timeouts', 'controls.guardrails'];
check(
  'the four missing controls come first in the completion list',
  !!suggestions && suggestions.slice(0, 4).every((r) => missingIds.some((id) => r.startsWith(id))) &&
    !missingIds.some((id) => suggestions[4].startsWith(id)),
);
await screenshot('vscode-8-completion.png');
await page.keyboard.press('Escape');
await page.keyboard.press('Control+Z');
await page.keyboard.press('Control+Z');
await sleep(300);

// Auto Fix (the one preferred fix) adds all four; the inserted blocks are revealed.
await gotoLine(twlLine, agentLines[twlLine - 1].indexOf('"') + 3);
const beforeAutoFix = (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
await runCommand('Auto Fix...');
const revealed = await timed('auto fix', () =>
  waitFor(async () => {
    const t = (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    return missingIds.every((id) => t.includes(`control ${id} {`)) ? t : null;
  }, 10000),
);
say(`# before Auto Fix the editor showed ${beforeAutoFix.split('\n').length} lines, the last: ${beforeAutoFix.trim().split('\n').pop()}`);
check('Auto Fix applies the preferred fix, add all, and the four inserted blocks are on screen', !!revealed,
  revealed ? '' : (await page.locator('.editor-instance .view-lines').first().innerText()).slice(0, 1500));
await screenshot('vscode-9-add-all.png');

// The agent: a hover, and its fix lands inside its block with the cursor in it.
const agentHover = await timed('hover on the agent', async () => {
  await focusEditor(AGENT_FILE);
  await gotoLine(agentLine, agentLines[agentLine - 1].indexOf('triage-agent') + 3);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  return waitFor(async () => {
    // The server's hover (Markdown), not the problem's.
    const t = (await page.locator('.monaco-hover:not(.hidden) .rendered-markdown').allInnerTexts()).join('\n');
    return t.includes('triage-agent') ? t : '';
  }, 10000);
});
say('# hover on the agent:');
say(indent(agentHover || '(nothing)'));
check('hovering the agent names it and its agency scope', /triage-agent/.test(agentHover ?? '') && /[Aa]gency scope/.test(agentHover ?? ''));
await page.keyboard.press('Escape');
const agentFix = 'Add missing control audit.approval_trail to agent "triage-agent"';
const agentFixes = await quickFixRows(agentLine, agentLines[agentLine - 1].indexOf('triage-agent') + 3);
say('# Ctrl+. on the agent offers:');
say(indent(agentFixes.join('\n')));
let agentApplied = false;
for (let i = 0; i < 20 && agentFixes.includes(agentFix); i++) {
  const focused = await page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label').catch(() => null);
  if (focused === agentFix) {
    await page.keyboard.press('Enter');
    agentApplied = true;
    break;
  }
  await page.keyboard.press('ArrowDown');
  await sleep(100);
}
check(`Ctrl+. on the agent offers and applies "${agentFix}"`, agentApplied, agentFixes.join('\n'));
const agentCursor = await waitFor(async () => {
  const t = await cursorStatus();
  return /\(10 selected\)/.test(t) ? t : null;
}, 5000);
await page.keyboard.type('2099-12-31');
await page.keyboard.press('Escape');
await page.keyboard.press('Control+S');
const agentSaved = await waitFor(() => {
  const t = fs.readFileSync(path.join(workspace, AGENT_FILE), 'utf8');
  return t.includes('control audit.approval_trail') ? t : null;
}, 10000);
const savedLines = (agentSaved ?? '').split('\n');
const savedAgent = savedLines.findIndex((l) => /^\s*agent "triage-agent"/.test(l));
const savedAgentEnd = savedLines.findIndex((l, i) => i > savedAgent && l === '  }');
const block = savedLines.findIndex((l) => /^ {4}control audit\.approval_trail \{/.test(l));
const cursorLine = Number(/Ln (\d+)/.exec(agentCursor ?? '')?.[1]) - 1;
check(
  'the block lands inside the agent, after a blank line, and the cursor in it on the due date',
  savedAgent >= 0 && block > savedAgent && block < savedAgentEnd && savedLines[block - 1] === '' &&
    cursorLine > block && cursorLine < savedAgentEnd && /^\s*due\s*=\s*"2099-12-31"/.test(savedLines[cursorLine] ?? ''),
  `agent lines ${savedAgent + 1}-${savedAgentEnd + 1}, block at ${block + 1}, cursor ${agentCursor}\n${savedLines.slice(Math.max(block - 2, 0), block + 6).join('\n')}`,
);
const agentLeft = await waitFor(async () => {
  const r = await problemRows();
  return r.find((x) => x.includes('agent "triage-agent" is missing 3 controls')) ?? null;
}, 15000);
check('the agent then misses 3 controls', !!agentLeft, agentLeft ?? (await problemRows()).join('\n'));

// Source Action... on the agent: its add-all first (the workload misses nothing by now), then
// one per dimension; applying the add-all leaves the agent missing nothing.
await focusEditor(AGENT_FILE);
await gotoLine(agentLine, agentLines[agentLine - 1].indexOf('triage-agent') + 3);
await runCommand('Source Action...');
const sourceRows = await timed('source actions on the agent', () =>
  waitFor(async () => {
    const rows = await page
      .locator('.action-widget .monaco-list-row.action')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent.trim()));
    return rows.length > 0 ? rows : null;
  }, 10000),
);
say('# Source Action... on the agent offers:');
say(indent((sourceRows ?? []).join('\n')));
const agentAddAll = 'Add 3 missing controls to agent "triage-agent"';
check(
  `Source Action... on the agent offers "${agentAddAll}" first, then only per-dimension additions`,
  sourceRows?.[0] === agentAddAll &&
    sourceRows.slice(1).every((t) => / of the .* dimension to agent "triage-agent"$/.test(t)),
  (sourceRows ?? []).join('\n'),
);
let sourceApplied = false;
for (let i = 0; i < 10 && sourceRows?.includes(agentAddAll); i++) {
  const focused = await page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label').catch(() => null);
  if (focused === agentAddAll) {
    await page.keyboard.press('Enter');
    sourceApplied = true;
    break;
  }
  await page.keyboard.press('ArrowDown');
  await sleep(100);
}
const agentComplete = sourceApplied
  ? await waitFor(async () => {
      const r = await problemRows();
      return r.length > 0 && !r.some((x) => x.includes('agent "triage-agent" is missing')) ? r : null;
    }, 15000)
  : null;
check('applying it leaves the agent missing no control', !!agentComplete, (await problemRows()).join('\n'));
await page.keyboard.press('Escape');

if (consoleErrors.length) {
  say('# browser console errors (first 10):');
  say(indent(consoleErrors.slice(0, 10).join('\n')));
}
await finish();
}
