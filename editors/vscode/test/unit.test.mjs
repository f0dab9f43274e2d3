// Unit tests of the extension's VS Code-free parts (server lookup, the matrix webview HTML, the
// workload under the cursor). `npm run test:unit`; the real-editor test is tests/editors/.
import assert from 'node:assert/strict';
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
const { renderMatrixHtml, heatLevel } = load('matrixHtml');
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

test('the matrix highlights the inferred scope and marks a differing declared one', () => {
  const html = renderMatrixHtml(sample, { title: 'Scoping matrix: x.genai', nonce: 'N' });
  assert.match(html, /<td class="scope build inferred" data-scope="3"/);
  assert.match(html, /<td class="scope buy declared" data-scope="2"/);
  assert.match(html, /declared-mark mismatch/);
  assert.match(html, /Declared scope 2 differs from the inferred scope 3/);
  assert.match(html, /tr data-discipline="risk"/);
  assert.match(html, /data-status="missing" data-count="1"/);
  assert.match(html, /data-control="risk\.threat_model" data-status="missing"/);
  assert.match(html, /scope not inferred/);
});

test('the matrix escapes text and needs no inline style or script (strict CSP)', () => {
  const html = renderMatrixHtml(sample, { title: 't', nonce: 'N' });
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('a &lt;b&gt; &amp; &quot;c&quot;'));
  assert.ok(!/\sstyle="/.test(html), 'inline style attributes are blocked by the CSP');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'nonce-N';"/);
  assert.match(html, /<style nonce="N">/);
});

test('heat levels grow with the share of required controls', () => {
  assert.equal(heatLevel(0, 4), 0);
  assert.equal(heatLevel(1, 4), 1);
  assert.equal(heatLevel(2, 4), 2);
  assert.equal(heatLevel(4, 4), 4);
  assert.equal(heatLevel(3, 0), 4);
});

test('the workload under the cursor, else the first', () => {
  assert.equal(workloadAt(sample, 25).name, 'second');
  assert.equal(workloadAt(sample, 5).name, sample.workloads[0].name);
  assert.equal(workloadAt(sample, 100).name, sample.workloads[0].name);
  assert.equal(workloadAt(undefined, 1), undefined);
});
