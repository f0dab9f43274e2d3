// The HTML report in a real browser: `genai-scope report --format html` on a scope-3 example
// and a small scope-2 workload, loaded in headless Chromium (playwright-core), its DOM
// checked (the highlighted scope, the heat-map cells and their counts, no request leaving
// the page) and a screenshot saved to docs/report.png.
//
//   GENAI_SCOPE_BIN  default target/debug/genai-scope (build it first)
//   CHROMIUM         default /usr/bin/chromium
//   SCREENSHOT       default docs/report.png
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
  check('heat-map missing = listed missing = missing-control findings', agree.missing === agree.listed && agree.listed === agree.findings && agree.missing > 0, JSON.stringify(agree));

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
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
