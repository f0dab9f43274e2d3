// The HTML report in a real browser: `genai-scope report --format html` on a scope-3 example
// and a small scope-2 workload, loaded in headless Chromium (playwright-core), its DOM
// checked (the highlighted scope, the heat-map cells and their counts, no request leaving
// the page) and a screenshot saved to docs/report.png; then, with an agent example added, at
// 600 px wide (the VS Code side pane): nothing overflows sideways, the agentic grid is there,
// and a screenshot goes to tests/artifacts/report-600.png (git-ignored).
//
//   GENAI_SCOPE_BIN  default target/debug/genai-scope (build it first)
//   CHROMIUM         default /usr/bin/chromium
//   SCREENSHOT       default docs/report.png
//   NARROW_SCREENSHOT default tests/artifacts/report-600.png
//
// Ends with `N passed, N failed`; exits 1 when a check fails.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'tests/editors/package.json'));
const { chromium } = require('playwright-core');

const BIN = process.env.GENAI_SCOPE_BIN ?? path.join(root, 'target/debug/genai-scope');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.SCREENSHOT ?? path.join(root, 'docs/report.png');
const NARROW_SCREENSHOT = process.env.NARROW_SCREENSHOT ?? path.join(root, 'tests/artifacts/report-600.png');

// A scope-2 workload (shared with the report's unit tests).
const CHAT = fs.readFileSync(path.join(root, 'tests/fixtures/scope2-chat.genai'), 'utf8');

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ''}`);
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genai-scope-report-'));
fs.copyFileSync(path.join(root, 'examples/scope3-support-assistant.genai'), path.join(dir, 'support.genai'));
fs.writeFileSync(path.join(dir, 'chat.genai'), CHAT);
// A training-only pipeline: nothing of the legal discipline applies at its scope (5).
fs.copyFileSync(path.join(root, 'examples/training-only-pretraining.genai'), path.join(dir, 'training.genai'));
const output = path.join(dir, 'report.html');
execFileSync(BIN, ['report', '--format', 'html', '--today', '2026-11-25', '--output', output, '.'], { cwd: dir });

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(output).href);

  const sections = await page.$$eval('section.workload', (all) =>
    all.map((s) => ({
      name: s.dataset.name,
      inferred: s.dataset.inferredScope,
      highlighted: [...s.querySelectorAll('.scopes .scope.inferred')].map((e) => e.dataset.scope),
      cells: s.querySelectorAll('table.heatmap td.cell').length,
      inferredCells: [...s.querySelectorAll('table.heatmap td.cell.inferred')].map((e) => e.dataset.scope),
    })),
  );
  check('three workload sections', sections.length === 3, JSON.stringify(sections));
  for (const s of sections) {
    check(`${s.name}: exactly the inferred scope is highlighted`, s.highlighted.length === 1 && s.highlighted[0] === s.inferred, JSON.stringify(s));
    check(`${s.name}: a 5 × 5 heat map`, s.cells === 25, String(s.cells));
    check(`${s.name}: the inferred column is outlined`, s.inferredCells.length === 5 && s.inferredCells.every((c) => c === s.inferred), JSON.stringify(s.inferredCells));
  }
  const chat = sections.find((s) => s.name === 'chat');
  const support = sections.find((s) => s.name === 'support-assistant');
  check('chat is scope 2, support-assistant scope 3', chat?.inferred === '2' && support?.inferred === '3');

  // The inferred scope stands out: a thicker, coloured border.
  const style = await page.$eval('section[data-name="chat"] .scope.inferred', (e) => {
    const s = getComputedStyle(e);
    return { width: s.borderTopWidth, colour: s.borderTopColor, text: e.textContent };
  });
  check('the highlighted scope has a 3px border', style.width === '3px', JSON.stringify(style));
  check('the highlighted scope says so', /inferred/i.test(await page.$eval('section[data-name="chat"] .scope.inferred', (e) => getComputedStyle(e, '::after').content)));

  // Counts of one cell: governance at scope 2 for chat (4 required: 1 implemented, 1 planned, 2 missing).
  const cell = await page.$eval('section[data-name="chat"] td.cell[data-scope="2"][data-discipline="governance"]', (e) => ({
    ...e.dataset,
    text: e.innerText,
    background: getComputedStyle(e).backgroundColor,
  }));
  check('governance × 2 counts', cell.required === '4' && cell.implemented === '1' && cell.planned === '1' && cell.missing === '2' && cell.notApplicable === '0', JSON.stringify(cell));
  check('governance × 2 shows its numbers', cell.text.includes('4 required') && cell.text.includes('2 missing') && cell.text.includes('1 planned'), cell.text);
  const legal = await page.$eval('section[data-name="chat"] td.cell[data-scope="2"][data-discipline="legal"]', (e) => ({ ...e.dataset, background: getComputedStyle(e).backgroundColor }));
  check('legal × 2: not applicable counted, nothing missing', legal.notApplicable === '1' && legal.missing === '0', JSON.stringify(legal));
  check('a cell with something missing is coloured differently from one without', legal.background !== cell.background, `${legal.background} vs ${cell.background}`);
  const empty = await page.$eval('section[data-name="genomics-pretraining"] td.cell[data-scope="5"][data-discipline="legal"]', (e) => ({ ...e.dataset, cls: e.className }));
  check('a cell with nothing required is marked empty', empty.required === '0' && empty.cls.includes('none'), JSON.stringify(empty));

  // Heat-map numbers agree with the missing-control list at the inferred scope.
  const agree = await page.$eval('section[data-name="support-assistant"]', (s) => {
    const missing = [...s.querySelectorAll('table.heatmap td.cell.inferred')].reduce((n, e) => n + Number(e.dataset.missing), 0);
    return { missing, listed: s.querySelectorAll('ul.missing li').length, findings: s.querySelectorAll('table.findings tbody tr[data-code="missing-control"]').length };
  });
  check('heat-map missing = listed missing controls', agree.missing === agree.listed && agree.missing > 0, JSON.stringify(agree));
  check('the listed missing controls are not repeated among the findings', agree.findings === 0, JSON.stringify(agree));

  // Several workloads: an overview whose links lead to each section.
  const overview = await page.$$eval('table.overview a[href^="#workload-"]', (links) =>
    links.map((a) => ({ href: a.getAttribute('href'), target: document.querySelector(a.getAttribute('href'))?.dataset.name, text: a.textContent })),
  );
  check('an overview links to every workload', overview.length === sections.length && overview.every((l) => l.target === l.text), JSON.stringify(overview));

  // Only the workload's own scope is painted: another scope's cell with required controls
  // keeps the page's white.
  const other = await page.$eval('section[data-name="chat"] td.cell[data-scope="3"][data-discipline="governance"]', (e) => ({
    cls: e.className,
    required: e.dataset.required,
    background: getComputedStyle(e).backgroundColor,
  }));
  check('another scope is not painted', other.cls.includes('other') && Number(other.required) > 0 && other.background === 'rgb(255, 255, 255)', JSON.stringify(other));
  const heads = await page.$$eval('section[data-name="chat"] table.heatmap thead th[data-scope]', (all) =>
    all.map((th) => ({ scope: th.dataset.scope, cls: th.className, colour: getComputedStyle(th).color })),
  );
  const own = heads.find((h) => h.scope === '2');
  check('the other scopes\' headers are muted, the inferred one is not', heads.length === 5 && heads.filter((h) => h.scope !== '2').every((h) => h.cls.includes('other') && h.colour !== own?.colour), JSON.stringify(heads));
  check('editor-only links are hidden in the plain report', await page.$$eval('.editor-only', (all) => all.length > 0 && all.every((e) => getComputedStyle(e).display === 'none')));

  // Planned controls: listed by name, tagged in violet (never green), and the workload with
  // one is not covered.
  const planned = await page.$$eval('section[data-name="chat"] ul.planned li', (all) =>
    all.map((li) => ({ control: li.dataset.control, tag: getComputedStyle(li.querySelector('.tag.planned')).backgroundColor })),
  );
  check('chat lists its planned control by name', planned.length === 1 && planned[0].control === 'governance.data_usage_policy', JSON.stringify(planned));
  check('the planned tag is violet, not green', planned[0]?.tag === 'rgb(102, 57, 186)', JSON.stringify(planned));
  const standing = await page.$eval('section[data-name="chat"]', (s) => ({ standing: s.dataset.standing, text: s.querySelector('p.standing')?.textContent }));
  check('a workload with planned and missing controls is not covered', standing.standing === 'not-covered' && /planned but not implemented/.test(standing.text ?? ''), JSON.stringify(standing));

  // Text from the file is escaped, not markup.
  check('justification-like text never becomes markup', (await page.$$('msa-1')).length === 0);
  check('no request leaves the page', requests.every((u) => u.startsWith('file:')), JSON.stringify(requests));

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  check('screenshot written', fs.statSync(SCREENSHOT).size > 10000, SCREENSHOT);

  // The side pane: an agent example too, 600 px wide.
  fs.copyFileSync(path.join(root, 'examples/agents/agency3-refund-agent.genai'), path.join(dir, 'refund.genai'));
  execFileSync(BIN, ['report', '--format', 'html', '--today', '2026-11-25', '--output', output, '.'], { cwd: dir });
  const narrow = await browser.newPage({ viewport: { width: 600, height: 900 } });
  await narrow.goto(pathToFileURL(output).href);
  const fit = await narrow.evaluate(() => {
    const width = window.innerWidth;
    const beyond = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5 && getComputedStyle(e).display !== 'none')
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
      .slice(0, 5);
    return { width, scrollWidth: document.documentElement.scrollWidth, beyond };
  });
  check('at 600 px nothing overflows sideways', fit.scrollWidth <= fit.width && fit.beyond.length === 0, JSON.stringify(fit));
  const inferredRight = await narrow.$$eval('table.heatmap th.inferred, table.findings td.message', (all) =>
    Math.max(...all.map((e) => e.getBoundingClientRect().right)),
  );
  check('the inferred column and the findings are within the pane', inferredRight <= 600, String(inferredRight));
  const agentic = await narrow.$$eval('section.workload', (all) =>
    all.map((s) => ({
      name: s.dataset.name,
      agency: s.dataset.agencyScope ?? null,
      cells: s.querySelectorAll('table.heatmap.agentic td.cell').length,
      highlighted: [...s.querySelectorAll('table.heatmap.agentic th.inferred')].map((e) => e.dataset.scope),
      agents: [...s.querySelectorAll('.agent')].map((a) => a.dataset.inferredAgencyScope),
    })),
  );
  const refund = agentic.find((s) => s.name === 'refund-desk');
  check('the agent workload has a 4 × 6 agentic grid with its agency scope highlighted', refund?.agency === '3' && refund.cells === 24 && refund.highlighted.join() === '3', JSON.stringify(refund));
  check('each agent shows its agency scope', refund?.agents.join() === '3,3', JSON.stringify(refund));
  check('workloads without agents have no agentic grid', agentic.filter((s) => s.name !== 'refund-desk').every((s) => s.cells === 0 && s.agency === null), JSON.stringify(agentic));
  fs.mkdirSync(path.dirname(NARROW_SCREENSHOT), { recursive: true });
  await narrow.screenshot({ path: NARROW_SCREENSHOT, fullPage: true });
  check('600 px screenshot written', fs.statSync(NARROW_SCREENSHOT).size > 10000, NARROW_SCREENSHOT);
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
