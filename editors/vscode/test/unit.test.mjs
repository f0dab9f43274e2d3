// Unit tests of the extension's VS Code-free parts (server lookup, the matrix webview page made
// from the server's report, the workload under the cursor). `npm run test:unit`; the real-editor test is tests/editors/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'genai-scope-unit-'));
const require = createRequire(import.meta.url);
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function load(name) {
  const out = path.join(tmp, `${name}.cjs`);
  esbuild.buildSync({
    entryPoints: [path.join(here, '..', 'src', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'silent',
  });
  return require(out);
}

const { findServer, expandSettingPath, BINARY_NAME } = load('serverPath');
const { webviewHtml, messageHtml, contentSecurityPolicy, withCommandLinks, MATRIX_COMMANDS } = load('reportHtml');
const { workloadAt } = load('protocol');

function exe(dir, name, mode = 0o755) {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, '#!/bin/sh\n');
  fs.chmodSync(p, mode);
  return p;
}

test('the setting wins and is reported, not replaced, when wrong', () => {
  const d = fs.mkdtempSync(path.join(tmp, 's-'));
  const mine = exe(path.join(d, 'mine'), 'genai-scope');
  const ext = path.join(d, 'ext');
  exe(path.join(ext, 'server'), BINARY_NAME);
  const r = findServer({ settingPath: mine, extensionPath: ext, workspaceFolder: d, envPath: '' });
  assert.deepEqual(r, { ok: true, command: mine, source: 'setting' });
  const bad = findServer({ settingPath: '/nonexistent/genai-scope', extensionPath: ext, workspaceFolder: d, envPath: '' });
  assert.equal(bad.ok, false);
  assert.equal(bad.badSetting, '/nonexistent/genai-scope');
});

test('${workspaceFolder} and relative setting paths resolve against the workspace', () => {
  assert.equal(expandSettingPath('${workspaceFolder}/bin/x', '/w'), '/w/bin/x');
  assert.equal(expandSettingPath('target/release/genai-scope', '/w'), '/w/target/release/genai-scope');
  assert.equal(expandSettingPath('~/x', '/w'), path.join(os.homedir(), 'x'));
});

test('then the bundled binary (made executable if unzipping lost the bit), then PATH', () => {
  const d = fs.mkdtempSync(path.join(tmp, 'b-'));
  const ext = path.join(d, 'ext');
  const bundled = exe(path.join(ext, 'server'), BINARY_NAME, 0o644);
  const onPath = exe(path.join(d, 'bin'), BINARY_NAME);
  let r = findServer({ settingPath: '', extensionPath: ext, workspaceFolder: undefined, envPath: path.join(d, 'bin') });
  assert.deepEqual(r, { ok: true, command: bundled, source: 'bundled' });
  fs.rmSync(path.join(ext, 'server'), { recursive: true });
  r = findServer({ settingPath: '', extensionPath: ext, workspaceFolder: undefined, envPath: `/nonexistent:${path.join(d, 'bin')}` });
  assert.deepEqual(r, { ok: true, command: onPath, source: 'path' });
  r = findServer({ settingPath: undefined, extensionPath: ext, workspaceFolder: undefined, envPath: '/nonexistent' });
  assert.equal(r.ok, false);
  assert.equal(r.tried.length, 3);
});

const sample = {
  workloads: [
    {
      name: 'a <b> & "c"',
      range: { start: { line: 2, character: 0 }, end: { line: 20, character: 1 } },
      declaredScope: 2,
      inferredScope: 3,
      scopeName: 'Pre-trained models',
      reasons: ['model "m": hosting = managed_api <script>'],
      disciplines: [
        {
          id: 'risk', name: 'Risk management', required: 2, implemented: 1, planned: 0, notApplicable: 0, missing: 1,
          controls: [
            { id: 'risk.threat_model', title: 'Threat model', required: true, status: 'missing' },
            { id: 'risk.prompt_injection', title: 'Prompt injection', required: true, status: 'implemented' },
          ],
        },
      ],
    },
    { name: 'second', range: { start: { line: 22, character: 0 }, end: { line: 30, character: 1 } }, declaredScope: null, inferredScope: null, scopeName: null, reasons: [], disciplines: [] },
  ],
};

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const POLICY = `default-src 'none'; style-src 'unsafe-inline' ${CSP_SOURCE}; img-src ${CSP_SOURCE} data:`;
const report = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>genai-scope report</title>
<style>body { color: #1f2328; }</style>
</head>
<body>
<h1>genai-scope report</h1>
<section class="workload" data-name="a" data-inferred-scope="3"><h2>Workload <code>a</code></h2>
<td class="cell" style="background: hsl(0, 85%, 62%)" data-scope="3">x</td></section>
</body>
</html>
`;

function headOf(html) {
  return /<head>([\s\S]*)<\/head>/.exec(html)[1];
}

test('the webview page is the report with the CSP first in <head> and the theme last', () => {
  assert.equal(contentSecurityPolicy(CSP_SOURCE), POLICY);
  const html = webviewHtml(report, { cspSource: CSP_SOURCE });
  const head = headOf(html);
  const metas = head.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g);
  assert.equal(metas.length, 1);
  assert.ok(head.trimStart().startsWith(`<meta http-equiv="Content-Security-Policy" content="${POLICY}">`), head);
  // The theme comes after the report's own stylesheet, so that it wins, and only uses variables
  // for the page; the heat map's inline backgrounds are the report's.
  assert.ok(head.indexOf('<style id="genai-scope-vscode-theme">') > head.indexOf('<style>body'));
  assert.match(head, /body \{ background: var\(--vscode-editor-background/);
  assert.match(head, /color: var\(--vscode-foreground/);
  // Everything else is the server's page, byte for byte.
  const stripped = html
    .replace(/\n<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
    .replace(/<style id="genai-scope-vscode-theme">[\s\S]*?<\/style>\n/, '');
  assert.equal(stripped, report);
  assert.ok(!/<script/i.test(html));
});

test('a <head> with attributes, an upper-case one, and a page without one', () => {
  const a = webviewHtml('<html><HEAD profile="x"><title>t</title></HEAD><body>b</body></html>', { cspSource: 'S' });
  assert.match(a, /^<html><HEAD profile="x">\n<meta http-equiv="Content-Security-Policy"/);
  assert.match(a, /<\/style>\n<\/HEAD><body>b<\/body><\/html>$/);
  const b = webviewHtml('<p>just a fragment</p>', { cspSource: 'S' });
  assert.match(b, /<head>\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline' S; img-src S data:">/);
  assert.match(b, /<body>\n<p>just a fragment<\/p>\n<\/body>/);
});

test('a message page escapes its text and carries the same policy', () => {
  const html = messageHtml('Scoping matrix: <x>.genai', 'failed: "a" & <b>', { cspSource: CSP_SOURCE });
  assert.ok(headOf(html).trimStart().startsWith(`<meta http-equiv="Content-Security-Policy" content="${POLICY}">`));
  assert.ok(html.includes('Scoping matrix: &lt;x&gt;.genai'));
  assert.ok(html.includes('failed: &quot;a&quot; &amp; &lt;b&gt;'));
  assert.ok(!html.includes('<b>'));
});

// The real page of `genai-scope report`, when $GENAI_SCOPE_BIN names the server binary (as
// tests/editors/run.sh does).
const serverBin = process.env.GENAI_SCOPE_BIN && fs.existsSync(process.env.GENAI_SCOPE_BIN) ? process.env.GENAI_SCOPE_BIN : undefined;
const fixture = path.join(here, '../../../tests/editors/fixtures/support-assistant.genai');
test('with the CLI report page: one policy, before its <style>; its workloads untouched', { skip: !serverBin && 'no genai-scope binary' }, () => {
  const cli = execFileSync(serverBin, ['report', fixture, '--format', 'html'], { encoding: 'utf8' });
  const html = webviewHtml(cli, { cspSource: CSP_SOURCE });
  const head = headOf(html);
  const csp = head.indexOf('Content-Security-Policy');
  assert.ok(csp >= 0 && csp < head.indexOf('<style'), 'the policy precedes every stylesheet');
  assert.equal((html.match(/Content-Security-Policy/g) ?? []).length, 1);
  assert.ok(!/<script|<link|src="http/i.test(html), 'nothing to load');
  const body = (h) => h.slice(h.indexOf('<body>'));
  assert.equal(body(html), body(cli));
  assert.match(html, /<section class="workload" id="workload-1" data-name="support-assistant" data-inferred-scope="3" data-own-scopes="3" data-standing="not-covered">/);
  // A planned control is shown by name, tagged "planned", and the workload is not covered.
  assert.match(html, /<ul class="planned">\n<li data-control="[a-z_.]+" data-severity="[a-z]+"><span class="tag planned">planned<\/span>/);
  assert.match(html, /<p class="standing not-covered">not covered: [^<]*planned but not implemented<\/p>/);
});

test('with a document, the report links run only the matrix commands; without one they stay anchors', () => {
  const report =
    '<html><head><style>.editor-only { display: none; }</style></head><body>' +
    '<a class="reveal" data-command="reveal" data-line="4" data-character="9" href="#workload-1">a.genai:5</a>' +
    '<a class="editor-only fix" data-command="quick-fix" data-line="4" data-character="9" href="#workload-1">fix…</a>' +
    '<a class="editor-only add-all" data-command="add-missing-controls" data-workload-index="2" href="#workload-1">add all</a>' +
    '<a data-command="rm -rf" data-line="1" href="#x">unknown</a><a href="#overview">plain</a></body></html>';
  const uri = 'file:///w/a%20b.genai';
  const html = webviewHtml(report, { cspSource: 'S', documentUri: uri });
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const decode = (href) => {
    const [command, args] = href.slice('command:'.length).split('?');
    return [command, JSON.parse(decodeURIComponent(args))];
  };
  assert.deepEqual(decode(hrefs[0]), ['genaiScope.revealInDocument', [uri, 4, 9, false]]);
  assert.deepEqual(decode(hrefs[1]), ['genaiScope.revealInDocument', [uri, 4, 9, true]]);
  assert.deepEqual(decode(hrefs[2]), ['genai-scope.addMissingControls', [uri, 2]]);
  assert.deepEqual(hrefs.slice(3), ['#x', '#overview']);
  for (const href of hrefs.filter((h) => h.startsWith('command:'))) assert.ok(MATRIX_COMMANDS.includes(decode(href)[0]), href);
  // The editor-only links show in the view, after the report's rule that hides them.
  assert.ok(html.indexOf('.editor-only { display: inline; }') > html.indexOf('.editor-only { display: none; }'));
  const plain = webviewHtml(report, { cspSource: 'S' });
  assert.ok(!plain.includes('command:') && !plain.includes('.editor-only { display: inline; }'));
  assert.equal(withCommandLinks('<a data-command="reveal" href="#w">no line</a>', uri), '<a data-command="reveal" href="#w">no line</a>');
});

test('the theme keeps planned controls violet and leaves other scopes unpainted', () => {
  const html = webviewHtml(report, { cspSource: CSP_SOURCE });
  const theme = /<style id="genai-scope-vscode-theme">([\s\S]*?)<\/style>/.exec(html)[1];
  assert.match(theme, /\.tag\.planned \{ background: #6639ba;/);
  assert.match(theme, /\.heatmap td\.cell\.other:not\(\.none\) \{ background: var\(--vscode-editor-background, #fff\) !important;/);
  // Nothing in the theme paints anything planned green.
  for (const rule of theme.split('\n').filter((r) => r.includes('planned'))) {
    assert.ok(!/hsl\(1[0-4]\d|#2e7d32|green/.test(rule), rule);
  }
});

test('the workload under the cursor, else the first', () => {
  assert.equal(workloadAt(sample, 25).name, 'second');
  assert.equal(workloadAt(sample, 5).name, sample.workloads[0].name);
  assert.equal(workloadAt(sample, 100).name, sample.workloads[0].name);
  assert.equal(workloadAt(undefined, 1), undefined);
});

const { changedLines } = load('textChange');

test('the lines an edit changed: an insertion, a replacement, a deletion, nothing', () => {
  const before = 'workload "w" {\n  owner = "a"\n}\n';
  const inserted = 'workload "w" {\n  owner = "a"\n\n  control risk.threat_model {\n    status = planned\n  }\n}\n';
  assert.deepEqual(changedLines(before, inserted), { start: 2, end: 5 });
  assert.deepEqual(changedLines(before, before.replace('"a"', '"b"')), { start: 1, end: 1 });
  assert.deepEqual(changedLines(before, 'workload "w" {\n}\n'), { start: 1, end: 1 });
  assert.equal(changedLines(before, before), undefined);
});
