#!/usr/bin/env node
// A stand-in for `genai-scope` that speaks just enough of the server contract (LSP over stdio,
// `explain`) to check the editor test harness itself, e.g. while the real server is being built:
//
//   GENAI_SCOPE_BIN=tests/editors/stub/genai-scope bash tests/editors/run.sh
//
// A run against it proves the harness and the editor integrations, never the server. It knows
// only the scope-3 controls of the catalog and handles one workload per file.
import process from 'node:process';

const CATALOG = {
  'governance.data_classification': ['Governance & compliance', 'Data classification'],
  'legal.provider_terms_review': ['Legal & privacy', 'Provider terms review'],
  'legal.model_terms_review': ['Legal & privacy', 'Model terms review'],
  'risk.threat_model': ['Risk management', 'Threat model'],
  'risk.prompt_injection': ['Risk management', 'Prompt-injection mitigations'],
  'controls.model_access_policy': ['Controls', 'Least-privilege model access'],
  'controls.user_authentication': ['Controls', 'End-user authentication'],
  'controls.data_flow_protection': ['Controls', 'Prompt and completion protection'],
  'resilience.timeouts': ['Resilience', 'Timeouts'],
  'resilience.input_size_limit': ['Resilience', 'Input size limit'],
  'resilience.retry_backoff': ['Resilience', 'Retries with back-off'],
  'resilience.circuit_breaker': ['Resilience', 'Circuit breaker'],
};
const DISCIPLINES = [
  ['governance', 'Governance & compliance'],
  ['legal', 'Legal & privacy'],
  ['risk', 'Risk management'],
  ['controls', 'Controls'],
  ['resilience', 'Resilience'],
];

if (process.argv[2] === 'explain') {
  const id = process.argv[3] ?? '';
  if (CATALOG[id]) {
    process.stdout.write(`### ${id}\n\n**${CATALOG[id][1]}** (${CATALOG[id][0]})\n\nRequired in scopes 3, 4, 5.\n`);
  } else if (/^[a-z-]+$/.test(id)) {
    process.stdout.write(`### ${id}\n\nA diagnostic of the stub server.\n`);
  } else {
    process.stderr.write(`unknown rule or control: ${id}\n`);
    process.exit(2);
  }
  process.exit(0);
}
if (process.argv[2] !== 'lsp') {
  process.stderr.write('usage: genai-scope-stub lsp | explain <id>\n');
  process.exit(2);
}

const docs = new Map();

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function analyse(text) {
  const lines = text.split('\n');
  let nameRange = null;
  let name = null;
  let close = null;
  lines.forEach((l, i) => {
    const m = /^\s*workload\s+"([^"]*)"/.exec(l);
    if (m && !nameRange) {
      name = m[1];
      const s = l.indexOf('"');
      nameRange = { start: { line: i, character: s }, end: { line: i, character: s + m[1].length + 2 } };
    }
    if (/^}\s*$/.test(l)) close = i;
  });
  const declared = new Map();
  for (const m of text.matchAll(/control\s+([A-Za-z_.]+)\s*\{([^}]*)\}/g)) {
    const st = /status\s*=\s*(\w+)/.exec(m[2]);
    declared.set(m[1], st ? st[1] : 'implemented');
  }
  const missing = Object.keys(CATALOG).filter((id) => !declared.has(id));
  const decl = /^\s*scope\s*=\s*(\d)/m.exec(text);
  return { name, nameRange, close, declared, missing, declaredScope: decl ? Number(decl[1]) : null };
}

function diagnostics(uri) {
  const a = analyse(docs.get(uri));
  const out = [];
  if (a.nameRange) {
    for (const id of a.missing) {
      out.push({
        range: a.nameRange,
        severity: 1,
        source: 'genai-scope',
        code: 'missing-control',
        codeDescription: { href: `https://example.invalid/controls/${id}` },
        message: `missing control ${id} (${CATALOG[id][0]}): ${CATALOG[id][1]} is required in scope 3`,
      });
    }
  }
  send({ method: 'textDocument/publishDiagnostics', params: { uri, diagnostics: out } });
}

function format(text) {
  const out = [];
  let depth = 0;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l.startsWith('}')) depth = Math.max(0, depth - 1);
    out.push(l ? '  '.repeat(depth) + l : '');
    if (l.endsWith('{')) depth++;
  }
  // Align `=` in runs of attribute lines at the same indentation.
  const isAttr = (l) => /^\s*[A-Za-z_][\w-]*\s*=/.test(l);
  for (let i = 0; i < out.length; ) {
    if (!isAttr(out[i])) { i++; continue; }
    const ind = /^\s*/.exec(out[i])[0];
    let j = i;
    while (j < out.length && isAttr(out[j]) && /^\s*/.exec(out[j])[0] === ind) j++;
    const width = Math.max(...out.slice(i, j).map((l) => l.trim().split('=')[0].trim().length));
    for (let k = i; k < j; k++) {
      const t = out[k].trim();
      const eq = t.indexOf('=');
      out[k] = `${ind}${t.slice(0, eq).trim().padEnd(width)} = ${t.slice(eq + 1).trim()}`;
    }
    i = j;
  }
  return out.join('\n');
}

function wordAt(text, pos) {
  const line = text.split('\n')[pos.line] ?? '';
  for (const m of line.matchAll(/[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+/g)) {
    if (m.index <= pos.character && pos.character <= m.index + m[0].length) return m[0];
  }
  return null;
}

function handle(msg) {
  const { id, method, params } = msg;
  const reply = (result) => send({ id, result });
  switch (method) {
    case 'initialize':
      return reply({
        capabilities: {
          textDocumentSync: 1,
          hoverProvider: true,
          documentFormattingProvider: true,
          codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.genai-scope'] },
        },
        serverInfo: { name: 'genai-scope-stub', version: '0' },
      });
    case 'initialized':
    case 'workspace/didChangeConfiguration':
    case 'textDocument/didSave':
    case '$/setTrace':
      return undefined;
    case 'shutdown':
      return reply(null);
    case 'exit':
      return process.exit(0);
    case 'textDocument/didOpen':
      docs.set(params.textDocument.uri, params.textDocument.text);
      return diagnostics(params.textDocument.uri);
    case 'textDocument/didChange':
      docs.set(params.textDocument.uri, params.contentChanges.at(-1).text);
      return diagnostics(params.textDocument.uri);
    case 'textDocument/didClose':
      docs.delete(params.textDocument.uri);
      return undefined;
    case 'textDocument/hover': {
      const w = wordAt(docs.get(params.textDocument.uri) ?? '', params.position);
      if (!w || !CATALOG[w]) return reply(null);
      return reply({
        contents: { kind: 'markdown', value: `### ${w}\n\n**${CATALOG[w][1]}** (${CATALOG[w][0]})\n\nRequired in scopes 3, 4, 5.` },
      });
    }
    case 'textDocument/codeAction': {
      const uri = params.textDocument.uri;
      const a = analyse(docs.get(uri) ?? '');
      const actions = [];
      for (const d of params.context.diagnostics ?? []) {
        const m = /^missing control (\S+)/.exec(d.message);
        if (!m || a.close == null) continue;
        actions.push({
          title: `Add missing control ${m[1]}`,
          kind: 'quickfix',
          diagnostics: [d],
          isPreferred: true,
          edit: {
            changes: {
              [uri]: [{
                range: { start: { line: a.close, character: 0 }, end: { line: a.close, character: 0 } },
                newText: `\n  control ${m[1]} {\n    status = planned\n  }\n`,
              }],
            },
          },
        });
      }
      return reply(actions);
    }
    case 'textDocument/formatting': {
      const text = docs.get(params.textDocument.uri) ?? '';
      const f = format(text);
      if (f === text) return reply([]);
      const n = text.split('\n').length;
      return reply([{ range: { start: { line: 0, character: 0 }, end: { line: n, character: 0 } }, newText: f }]);
    }
    case 'genaiScope/workloads': {
      const a = analyse(docs.get(params.textDocument.uri) ?? '');
      if (!a.name) return reply({ workloads: [] });
      const disciplines = DISCIPLINES.map(([did, dname]) => {
        const ids = Object.keys(CATALOG).filter((c) => c.startsWith(did + '.'));
        const controls = ids.map((c) => ({
          id: c, title: CATALOG[c][1], required: true, status: a.declared.get(c) ?? 'missing',
        }));
        const count = (s) => controls.filter((c) => c.status === s).length;
        return {
          id: did, name: dname, required: ids.length, implemented: count('implemented'),
          planned: count('planned'), notApplicable: count('not_applicable'), missing: count('missing'), controls,
        };
      });
      const lines = (docs.get(params.textDocument.uri) ?? '').split('\n');
      return reply({
        workloads: [{
          name: a.name,
          range: { start: { line: a.nameRange.start.line, character: 0 }, end: { line: a.close ?? lines.length - 1, character: 1 } },
          declaredScope: a.declaredScope, inferredScope: 3, scopeName: 'Pre-trained models',
          reasons: ['model "assistant": hosting = managed_api, training = none'], disciplines,
        }],
      });
    }
    default:
      if (id !== undefined) send({ id, error: { code: -32601, message: `stub: no ${method}` } });
  }
}

let buf = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const sep = buf.indexOf('\r\n\r\n');
    if (sep < 0) return;
    const m = /Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString());
    const len = Number(m[1]);
    if (buf.length < sep + 4 + len) return;
    const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString('utf8'));
    buf = buf.subarray(sep + 4 + len);
    handle(msg);
  }
});
process.stdin.on('end', () => process.exit(0));
