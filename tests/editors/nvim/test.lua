-- Neovim 0.11 headless test of editors/nvim against the real genai-scope server.
--
--   nvim --clean --headless --cmd 'set rtp^=editors/nvim' -l tests/editors/nvim/test.lua
--
-- Environment: GENAI_SCOPE_BIN (the server binary; the plugin's own lookup otherwise),
-- GENAI_SCOPE_ROOT (the repository, default: the current directory).
-- Prints what it sees, one `ok`/`not ok` line per check and a closing `N passed, N failed`;
-- exits non-zero on any failure.
local uv = vim.uv
local root = vim.env.GENAI_SCOPE_ROOT or uv.cwd()
local fixture = vim.env.GENAI_SCOPE_FIXTURE or (root .. '/tests/editors/fixtures/support-assistant.genai')
local TIMEOUT = tonumber(vim.env.GENAI_SCOPE_TIMEOUT_MS or '20000')

local passed, failed = 0, 0
local t_start = uv.hrtime()

local function say(fmt, ...)
  io.stdout:write((select('#', ...) > 0 and fmt:format(...) or fmt) .. '\n')
  io.stdout:flush()
end

local function indent(text)
  return '    | ' .. tostring(text):gsub('\n', '\n    | ')
end

local function check(name, cond, detail)
  if cond then
    passed = passed + 1
    say('ok - %s', name)
  else
    failed = failed + 1
    say('not ok - %s', name)
  end
  if detail and detail ~= '' then
    say(indent(detail))
  end
  return cond
end

local function finish()
  say('nvim test: %.1f s', (uv.hrtime() - t_start) / 1e9)
  say('%d passed, %d failed', passed, failed)
  io.stdout:flush()
  if failed > 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

local function fatal(name, detail)
  check(name, false, detail)
  finish()
end

local function read_file(p)
  local f = io.open(p, 'rb')
  if not f then
    return nil
  end
  local s = f:read('*a')
  f:close()
  return s
end

local function write_file(p, s)
  local f = assert(io.open(p, 'wb'))
  f:write(s)
  f:close()
end

local function buf_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

local function fmt_diags(diags)
  local out = {}
  for _, d in ipairs(diags) do
    table.insert(out, ('%d:%d-%d:%d [%s] %s: %s'):format(d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1,
      vim.diagnostic.severity[d.severity] or '?', tostring(d.code), d.message))
  end
  return #out > 0 and table.concat(out, '\n') or '(no diagnostics)'
end

-- Record every diagnostics answer, pushed (textDocument/publishDiagnostics) or pulled
-- (textDocument/diagnostic), so that "the server has analysed this file" is observable even
-- when it reports nothing.
local published = {}
local orig_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result and result.uri then
    published[result.uri] = (published[result.uri] or 0) + 1
  end
  return orig_publish(err, result, ctx, config)
end
local orig_pull = vim.lsp.handlers['textDocument/diagnostic']
vim.lsp.handlers['textDocument/diagnostic'] = function(err, result, ctx, config)
  local uri = ctx and ctx.params and ctx.params.textDocument and ctx.params.textDocument.uri
  if uri and not err then
    published[uri] = (published[uri] or 0) + 1
  end
  return orig_pull(err, result, ctx, config)
end

local function timed(label, f)
  local t0 = uv.hrtime()
  local r = { f() }
  say('  (%s: %d ms)', label, math.floor((uv.hrtime() - t0) / 1e6))
  return unpack(r)
end

-- -------------------------------------------------------------------------------------------
say('# genai-scope Neovim test (%s)', tostring(vim.version()))

local gs_ok, gs = pcall(require, 'genai_scope')
if not gs_ok then
  fatal('the plugin loads (editors/nvim on the runtimepath)', gs)
end
check('plugin/ ran (g:loaded_genai_scope)', vim.g.loaded_genai_scope == true)
check('*.genai is detected as filetype genai', vim.filetype.match({ filename = 'a/b.genai' }) == 'genai')

-- The shipped queries are exact copies of grammar/queries.
for _, q in ipairs({ 'highlights', 'folds', 'indents', 'locals' }) do
  local orig = read_file(root .. '/grammar/queries/' .. q .. '.scm')
  local copy = read_file(gs.plugin_root() .. '/queries/genai/' .. q .. '.scm')
  if orig then
    local same = copy == orig
    check(('queries/genai/%s.scm equals grammar/queries/%s.scm'):format(q, q), same,
      (not same) and 'differs: run bash editors/nvim/scripts/sync-queries.sh' or nil)
  end
end

-- The parser: build it when missing or older than the grammar.
do
  local parser_c = uv.fs_stat(root .. '/grammar/src/parser.c')
  local so = uv.fs_stat(gs.parser_path())
  if not so or (parser_c and parser_c.mtime.sec > so.mtime.sec) then
    local ok, msg = timed('build parser', gs.build_parser)
    check('build parser/genai.so from grammar/src/parser.c', ok, msg)
  else
    say('# reusing %s', gs.parser_path())
  end
  local ok, err = gs.register_parser()
  check('the tree-sitter parser registers for genai', ok, err)
end

local bin, how = gs.server_path()
say('# server: %s (%s)', tostring(bin), tostring(how))
if not bin then
  fatal('the genai-scope binary is found', 'set GENAI_SCOPE_BIN or build target/release/genai-scope')
end

-- -------------------------------------------------------------------------------------------
-- Every example: the server answers with diagnostics (possibly none).
local examples = vim.fn.glob(root .. '/examples/*.genai', false, true)
table.sort(examples)
for _, ex in ipairs(examples) do
  vim.cmd.edit(vim.fn.fnameescape(ex))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  local got = vim.wait(TIMEOUT, function()
    return (published[uri] or 0) > 0
  end, 50)
  local rel = ex:sub(#root + 2)
  check(('%s: diagnostics published'):format(rel), got, fmt_diags(vim.diagnostic.get(buf)))
end
if #examples == 0 then
  say('# no examples/*.genai yet')
end

-- -------------------------------------------------------------------------------------------
-- The scenario, on a copy of the fixture (a scope-3 workload missing risk.threat_model).
local work = vim.fn.tempname()
vim.fn.mkdir(work, 'p')
local path = work .. '/support-assistant.genai'
write_file(path, assert(read_file(fixture), 'no fixture ' .. fixture))

vim.cmd.edit(vim.fn.fnameescape(path))
local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)
check('the fixture opens with filetype genai', vim.bo[buf].filetype == 'genai', 'filetype=' .. vim.bo[buf].filetype)
check('ftplugin: commentstring is "# %s"', vim.bo[buf].commentstring == '# %s', vim.bo[buf].commentstring)

-- Tree-sitter highlighting, folds and indentation.
check('tree-sitter highlighting is active', vim.treesitter.highlighter.active[buf] ~= nil)
do
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local wl, cl
  for i, l in ipairs(lines) do
    if not wl and l:match('^workload') then
      wl = i - 1
    end
    if not cl and l:match('^%s*control%s+risk%.prompt_injection') then
      cl = i - 1
    end
  end
  local function caps(row, col)
    local names = {}
    for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
      table.insert(names, c.capture)
    end
    return names
  end
  local kw = caps(wl, 0)
  check('`workload` is captured as @keyword', vim.tbl_contains(kw, 'keyword'), table.concat(kw, ' '))
  local ctl_col = lines[cl + 1]:find('risk') - 1
  local ty = caps(cl, ctl_col)
  check('a control id is captured as @type', vim.tbl_contains(ty, 'type'), table.concat(ty, ' '))
  check("foldexpr is tree-sitter's", vim.wo.foldexpr == 'v:lua.vim.treesitter.foldexpr()', vim.wo.foldexpr)
  local ml
  for i, l in ipairs(lines) do
    if l:match('^%s*model%s') then
      ml = i
      break
    end
  end
  local fe = tostring(vim.treesitter.foldexpr(ml))
  check('a fold starts at the model block', fe:match('^>') ~= nil, ('foldexpr(%d) = %s'):format(ml, fe))
end

-- The server attaches and publishes the missing-control diagnostic on the workload name.
local client
local attached = timed('attach', function()
  return vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'genai_scope' })[1]
    return client ~= nil and client.initialized
  end, 50)
end)
if not check('the genai_scope client attaches and initializes', attached) then
  local log = read_file(vim.lsp.get_log_path()) or ''
  fatal('language server log', log:sub(-3000))
end
say('# server: %s %s', tostring(client.server_info and client.server_info.name),
  tostring(client.server_info and client.server_info.version))

local function threat_diag()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'missing-control' and d.message:find('^missing control risk%.threat_model') then
      return d
    end
  end
end

local target = timed('first diagnostics', function()
  vim.wait(TIMEOUT, function()
    return threat_diag() ~= nil
  end, 50)
  return threat_diag()
end)
say('# diagnostics:')
say(indent(fmt_diags(vim.diagnostic.get(buf))))
if not check('diagnostic "missing control risk.threat_model" arrives', target ~= nil) then
  finish()
end
check('it comes from source genai-scope', target.source == 'genai-scope', tostring(target.source))

-- A code lens above the workload (its scope and what is missing); the most severe finding
-- first in signs and virtual text.
do
  local lenses = {}
  vim.wait(TIMEOUT, function()
    lenses = vim.lsp.codelens.get(buf)
    return #lenses > 0
  end, 50)
  local titles = {}
  for _, l in ipairs(lenses) do
    table.insert(titles, l.command and l.command.title or '?')
  end
  check('a code lens reads "Scope 3 · 1 missing"', vim.tbl_contains(titles, 'Scope 3 · 1 missing'), table.concat(titles, ' | '))
  local sorted = true
  for _, pull in ipairs({ false, true }) do
    local config = vim.diagnostic.config(nil, vim.lsp.diagnostic.get_namespace(client.id, pull)) or {}
    sorted = sorted and config.severity_sort == true
  end
  check('diagnostics sort by severity (severity_sort)', sorted)
end
do
  local line = vim.api.nvim_buf_get_lines(buf, target.lnum, target.lnum + 1, false)[1]
  local label = line:sub(target.col + 1, target.end_col)
  check('it is on the workload name label', line:match('^%s*workload') ~= nil and label:find('support%-assistant') ~= nil,
    ('line %d: %s\nrange text: %s'):format(target.lnum + 1, line, label))
  local lsp = target.user_data and target.user_data.lsp or {}
  check('it links to docs (codeDescription.href)', lsp.codeDescription ~= nil and type(lsp.codeDescription.href) == 'string',
    vim.inspect(lsp.codeDescription))
end

-- Hover a control id and read the documentation in the floating window.
do
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local row, col
  for i, l in ipairs(lines) do
    local s = l:find('risk%.prompt_injection')
    if s and l:match('^%s*control') then
      -- On the control's own name ("prompt_injection"): the server explains the discipline
      -- when the cursor is on the "risk." part.
      row, col = i, s + #'risk.' + 3
      break
    end
  end
  vim.api.nvim_win_set_cursor(0, { row, col })
  local wins_before = {}
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    wins_before[w] = true
  end
  vim.lsp.buf.hover()
  local float
  timed('hover', function()
    vim.wait(TIMEOUT, function()
      for _, w in ipairs(vim.api.nvim_list_wins()) do
        if not wins_before[w] and vim.api.nvim_win_get_config(w).relative ~= '' then
          float = w
          return true
        end
      end
      return false
    end, 50)
  end)
  local text = float and table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), '\n') or ''
  check('hover on control risk.prompt_injection opens a float', float ~= nil)
  say('# hover:')
  say(indent(text))
  check('the hover starts with "### risk.prompt_injection"', text:find('^%s*#+%s*risk%.prompt_injection') ~= nil)
  check('the hover says where it is required ("Required in scopes")', text:find('Required in scopes') ~= nil)
  if float then
    vim.api.nvim_win_close(float, true)
  end
end

-- Settings reach the server (workspace/configuration, section genaiScope): disabling the rule
-- removes the diagnostic, a severity override changes it, and clearing both brings it back.
do
  local function reconfigure(cfg)
    client.settings = { genaiScope = cfg } -- replaced whole: a deep merge would keep old keys
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  end
  reconfigure({ disabledRules = { 'risk.threat_model' } })
  local off = vim.wait(TIMEOUT, function()
    return threat_diag() == nil
  end, 50)
  check('disabledRules = { "risk.threat_model" } removes the diagnostic', off, fmt_diags(vim.diagnostic.get(buf)))
  reconfigure({ disabledRules = {}, severityOverrides = { ['risk.threat_model'] = 'hint' } })
  local hint = vim.wait(TIMEOUT, function()
    local d = threat_diag()
    return d ~= nil and d.severity == vim.diagnostic.severity.HINT
  end, 50)
  check('severityOverrides = { ["risk.threat_model"] = "hint" } makes it a hint', hint, fmt_diags(vim.diagnostic.get(buf)))
  reconfigure({ disabledRules = {}, severityOverrides = vim.empty_dict() })
  local back = vim.wait(TIMEOUT, function()
    local d = threat_diag()
    return d ~= nil and d.severity == vim.diagnostic.severity.ERROR
  end, 50)
  check('with the settings cleared the error is back', back, fmt_diags(vim.diagnostic.get(buf)))
  target = threat_diag() or target
end

-- The quick fix: "Add missing control risk.threat_model".
do
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col + 1 })
  local titles = {}
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = { target.user_data.lsp }, only = { 'quickfix' }, triggerKind = 1 }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, TIMEOUT)
  for _, r in pairs(res or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(titles, a.title)
    end
  end
  say('# code actions at the diagnostic:')
  say(indent(table.concat(titles, '\n')))
  local want = 'Add missing control risk.threat_model'
  check('the quick fix "' .. want .. '" is offered', vim.tbl_contains(titles, want))

  local before = buf_text(buf)
  timed('apply code action', function()
    -- As a user would: the diagnostics at the cursor, the quick fixes, the one named.
    vim.lsp.buf.code_action({
      apply = true,
      context = { only = { 'quickfix' } },
      filter = function(a)
        return a.title == want
      end,
    })
    vim.wait(TIMEOUT, function()
      return buf_text(buf) ~= before
    end, 50)
  end)
  local after = buf_text(buf)
  check('the buffer now declares control risk.threat_model', after:find('control%s+risk%.threat_model%s*{') ~= nil)
  check('with status = planned', after:find('control%s+risk%.threat_model%s*{%s*status%s*=%s*planned%s*}') ~= nil)
  say('# buffer after the quick fix:')
  say(indent(after))
  local gone = timed('diagnostic cleared', function()
    return vim.wait(TIMEOUT, function()
      return threat_diag() == nil
    end, 50)
  end)
  check('the missing-control diagnostic for risk.threat_model disappears', gone, fmt_diags(vim.diagnostic.get(buf)))
  -- The fix inserts `status = planned`: in a production workload that is a promise, not a
  -- control, so the finding becomes control-not-implemented instead of disappearing.
  local left = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.severity == vim.diagnostic.severity.ERROR then
      table.insert(left, d)
    end
  end
  local only_planned = #left == 1
    and left[1].code == 'control-not-implemented'
    and left[1].message:find('risk.threat_model', 1, true) ~= nil
  check('the only error left is risk.threat_model, planned but not implemented', only_planned, fmt_diags(left))
end

-- Formatting: canonical two-space indentation, aligned `=`, idempotent.
do
  local before = buf_text(buf)
  timed('format', function()
    vim.lsp.buf.format({ bufnr = buf, timeout_ms = TIMEOUT, name = 'genai_scope' })
  end)
  local once = buf_text(buf)
  say('# buffer after formatting:')
  say(indent(once))
  check('formatting changed the misaligned model block', once ~= before)
  local bad = {}
  local lines = vim.split(once, '\n', { plain = true })
  local run_col, run_indent
  for i, l in ipairs(lines) do
    local ind = #l:match('^ *')
    if l:match('^\t') or ind % 2 ~= 0 then
      table.insert(bad, ('line %d: indentation is not two-space: %q'):format(i, l))
    end
    local key = l:match('^ *([%a_][%w_%-]*) *=')
    if key then
      local col = l:find('=')
      if run_indent == ind and run_col and run_col ~= col then
        table.insert(bad, ('line %d: "=" at column %d, the line above at %d'):format(i, col, run_col))
      end
      run_col, run_indent = col, ind
    else
      run_col, run_indent = nil, nil
    end
  end
  check('every line is indented by two spaces a level and runs of `=` are aligned', #bad == 0, table.concat(bad, '\n'))
  check('the model block is re-indented', once:find('\n    hosting +=') ~= nil and once:find('\n      hosting') == nil)
  vim.lsp.buf.format({ bufnr = buf, timeout_ms = TIMEOUT, name = 'genai_scope' })
  check('formatting is idempotent', buf_text(buf) == once)

  -- The indents query agrees with the formatter.
  vim.treesitter.get_parser(buf, 'genai'):parse()
  local mism = {}
  for lnum, l in ipairs(lines) do
    if l:match('%S') then
      local want = #l:match('^ *')
      local got = require('genai_scope.indent').get_indent(lnum, buf)
      if got ~= want then
        table.insert(mism, ('line %d: indentexpr %d, formatted %d: %s'):format(lnum, got, want, l))
      end
    end
  end
  check('indentexpr (queries/genai/indents.scm) matches the formatted indentation', #mism == 0, table.concat(mism, '\n'))
end

-- genaiScope/workloads and the matrix command.
do
  local result, err = gs.workloads(buf)
  local w = result and result.workloads and result.workloads[1]
  check('genaiScope/workloads answers', w ~= nil, (not w) and (err or vim.inspect(result):sub(1, 1500)) or nil)
  if w then
    check('the workload is inferred at scope 3', w.inferredScope == 3,
      ('inferredScope=%s scopeName=%s reasons=%s'):format(tostring(w.inferredScope), tostring(w.scopeName), vim.inspect(w.reasons)))
    local mbuf = gs.show_matrix()
    local mtext = mbuf and buf_text(mbuf) or ''
    say('# :GenaiScopeMatrix')
    say(indent(mtext))
    check(':GenaiScopeMatrix shows the report: the workload, its inferred scope and the discipline grid',
      mtext:find('## Workload `support%-assistant`') ~= nil
        and mtext:find('Inferred scope: %*%*3 ') ~= nil
        and mtext:find('| Risk management ', 1, true) ~= nil)
    -- Its tables are padded so that they read as plain text: the rows of a table are all as
    -- wide as each other on screen (an emoji takes two columns).
    local widths, misaligned = nil, {}
    for line in (mtext .. '\n'):gmatch('([^\n]*)\n') do
      if line:sub(1, 1) == '|' then
        local width = vim.fn.strdisplaywidth(line)
        widths = widths or width
        if width ~= widths then table.insert(misaligned, line) end
      else
        widths = nil
      end
    end
    check(':GenaiScopeMatrix tables are aligned in display columns', #misaligned == 0,
      table.concat(misaligned, '\n'):sub(1, 1500))
    if mbuf then
      vim.cmd('close')
    end
    -- :GenaiScopeReport writes the HTML page and hands it to vim.ui.open (stubbed here).
    local opened
    local real_open = vim.ui.open
    vim.ui.open = function(path) opened = path end
    local target = vim.fn.tempname() .. '.html'
    vim.cmd('GenaiScopeReport ' .. target)
    vim.ui.open = real_open
    local html = table.concat(vim.fn.readfile(target), '\n')
    check(':GenaiScopeReport writes the HTML report and opens it',
      opened == target and html:find('^<!DOCTYPE html>') ~= nil
        and html:find('data-name="support-assistant" data-inferred-scope="3"', 1, true) ~= nil,
      ('opened=%s, %d bytes'):format(tostring(opened), #html))
  end
end

-- :GenaiScopeExplain (`genai-scope explain <id>`).
do
  local ebuf = gs.explain('risk.threat_model')
  local etext = ebuf and buf_text(ebuf) or ''
  say('# :GenaiScopeExplain risk.threat_model')
  say(indent(etext:sub(1, 800)))
  check('explain shows the docs of risk.threat_model', etext:find('risk%.threat_model') ~= nil)
  if ebuf then
    vim.cmd('close')
  end
end

-- -------------------------------------------------------------------------------------------
-- A workload with an agent, each missing several controls (tests/editors/fixtures/ticket-triage.genai).
do
  vim.diagnostic.config({ virtual_text = true, signs = true }) -- as a user turns them on
  local tpath = work .. '/ticket-triage.genai'
  write_file(tpath, assert(read_file(root .. '/tests/editors/fixtures/ticket-triage.genai')))
  vim.cmd.edit(vim.fn.fnameescape(tpath))
  local tbuf = vim.api.nvim_get_current_buf()
  local tclient
  vim.wait(TIMEOUT, function()
    tclient = vim.lsp.get_clients({ bufnr = tbuf, name = 'genai_scope' })[1]
    return tclient ~= nil and tclient.initialized
  end, 50)
  local client = tclient or client
  local function row_of(pattern)
    for i, l in ipairs(vim.api.nvim_buf_get_lines(tbuf, 0, -1, false)) do
      if l:match(pattern) then
        return i - 1
      end
    end
  end
  local wl_row, agent_row = row_of('^workload "ticket%-triage"'), row_of('^%s*agent "triage%-agent"')
  local function grouped(row)
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(tbuf)) do
      if d.code == 'missing-control' and d.lnum == row then
        table.insert(found, d)
      end
    end
    return found
  end
  vim.wait(TIMEOUT, function()
    return #grouped(wl_row) > 0 and #grouped(agent_row) > 0
  end, 50)
  say('# ticket-triage.genai diagnostics:')
  say(indent(fmt_diags(vim.diagnostic.get(tbuf))))
  local wl_diags, agent_diags = grouped(wl_row), grouped(agent_row)
  check('one missing-control diagnostic on the workload, grouping its 4 controls, an error',
    #wl_diags == 1 and wl_diags[1].message:find('^workload "ticket%-triage" is missing 4 controls') ~= nil
      and wl_diags[1].severity == vim.diagnostic.severity.ERROR
      -- the message names the controls; none is repeated as related information
      and wl_diags[1].user_data.lsp.relatedInformation == nil,
    fmt_diags(wl_diags))
  check('one missing-control diagnostic on the agent, grouping its 4 controls, an error',
    #agent_diags == 1 and agent_diags[1].message:find('^agent "triage%-agent" is missing 4 controls') ~= nil
      and agent_diags[1].severity == vim.diagnostic.severity.ERROR
      -- by the agentic matrix's dimensions
      and agent_diags[1].message:find('\nAudit and logging: audit.approval_trail', 1, true) ~= nil,
    fmt_diags(agent_diags))

  -- What the line shows: the sign and the virtual text of the most severe finding.
  local function line_marks(row)
    local sign, sign_priority, virt = nil, -1, nil
    for _, ns in pairs(vim.api.nvim_get_namespaces()) do
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(tbuf, ns, { row, 0 }, { row, -1 }, { details = true })) do
        local d = m[4]
        if d.sign_text and d.priority > sign_priority then
          sign, sign_priority = d.sign_hl_group, d.priority
        end
        -- The diagnostics' virtual text, not the code lens's on the same line.
        local chunks = d.virt_text or {}
        if #chunks > 0 and tostring(chunks[#chunks][2]):find('^DiagnosticVirtualText') then
          virt = chunks
        end
      end
    end
    return sign, virt
  end
  local sign, virt = line_marks(wl_row)
  local message_hl = virt and virt[#virt][2]
  local virt_text = ''
  for _, chunk in ipairs(virt or {}) do
    virt_text = virt_text .. chunk[1]
  end
  check('the workload line\'s sign is the error\'s', sign == 'DiagnosticSignError', tostring(sign))
  check('its virtual text shows the error\'s message', message_hl == 'DiagnosticVirtualTextError'
    and virt_text:find('is missing 4 controls', 1, true) ~= nil, ('%s: %s'):format(tostring(message_hl), virt_text))

  -- The code lenses above the workload and the agent.
  local lenses = {}
  vim.wait(TIMEOUT, function()
    lenses = vim.lsp.codelens.get(tbuf)
    local rows = {}
    for _, l in ipairs(lenses) do
      rows[l.range.start.line] = true
    end
    return rows[wl_row] and rows[agent_row]
  end, 50)
  local function lens_titles(row)
    local titles = {}
    for _, l in ipairs(lenses) do
      if l.range.start.line == row then
        table.insert(titles, l.command and l.command.title or '?')
      end
    end
    return table.concat(titles, ' | ')
  end
  check('the workload\'s code lens reads "Scope 3 · 4 missing | Add all | Show matrix"',
    lens_titles(wl_row) == 'Scope 3 · 4 missing | Add all | Show matrix', lens_titles(wl_row))
  check('the agent\'s code lens names its agency scope and its 4 missing controls',
    lens_titles(agent_row):find('^Agency 2') ~= nil and lens_titles(agent_row):find('4 missing', 1, true) ~= nil,
    lens_titles(agent_row))

  -- Hover on the agent's name.
  do
    local line = vim.api.nvim_buf_get_lines(tbuf, agent_row, agent_row + 1, false)[1]
    local params = { textDocument = { uri = vim.uri_from_bufnr(tbuf) },
      position = { line = agent_row, character = line:find('triage%-agent') + 2 } }
    local res = vim.lsp.buf_request_sync(tbuf, 'textDocument/hover', params, TIMEOUT)
    local text = ''
    for _, r in pairs(res or {}) do
      local c = r.result and r.result.contents
      text = text .. (type(c) == 'table' and (c.value or '') or tostring(c or ''))
    end
    say('# hover on the agent:')
    say(indent(text))
    check('hovering the agent names it and its agency scope', text:find('triage-agent', 1, true) ~= nil
      and text:find('[Aa]gency scope') ~= nil)
  end

  local function fixes(d)
    local params = { textDocument = { uri = vim.uri_from_bufnr(tbuf) }, range = d.user_data.lsp.range,
      context = { diagnostics = { d.user_data.lsp }, only = { 'quickfix' }, triggerKind = 1 } }
    local res = vim.lsp.buf_request_sync(tbuf, 'textDocument/codeAction', params, TIMEOUT)
    local actions = {}
    for _, r in pairs(res or {}) do
      vim.list_extend(actions, r.result or {})
    end
    return actions
  end
  local function describe(actions)
    local out = {}
    for _, a in ipairs(actions) do
      table.insert(out, (a.isPreferred and '* ' or '  ') .. a.title)
    end
    return table.concat(out, '\n')
  end
  -- The quick fixes of the workload's diagnostic: add all first and preferred, one per control,
  -- one suppression.
  if wl_diags[1] then
    local actions = fixes(wl_diags[1])
    local preferred = vim.tbl_filter(function(a) return a.isPreferred end, actions)
    check('the workload\'s quick fixes: "Add all 4 missing controls" first, then one per control and one suppression',
      #actions == 6 and actions[1].title == 'Add all 4 missing controls'
        and actions[#actions].title:find('^Suppress') ~= nil, describe(actions))
    check('one preferred quick fix, the first', #preferred == 1 and preferred[1] == actions[1], describe(actions))
  end

  -- A plain attribute line: no code action without a diagnostic (no light bulb).
  do
    local row = row_of('^%s*owner%s*=')
    local params = { textDocument = { uri = vim.uri_from_bufnr(tbuf) },
      range = { start = { line = row, character = 4 }, ['end'] = { line = row, character = 4 } },
      context = { diagnostics = {}, triggerKind = 2 } }
    local res = vim.lsp.buf_request_sync(tbuf, 'textDocument/codeAction', params, TIMEOUT)
    local n = 0
    for _, r in pairs(res or {}) do
      n = n + #(r.result or {})
    end
    check('no code action on the plain attribute line `owner = ...`', res ~= nil and n == 0, ('%d action(s)'):format(n))
  end

  -- Completion of a control id in the workload: the missing controls first, labelled so.
  do
    local row = row_of('^%s*criticality')
    vim.api.nvim_buf_set_lines(tbuf, row + 1, row + 1, false, { '  control ' })
    local params = { textDocument = { uri = vim.uri_from_bufnr(tbuf) }, position = { line = row + 1, character = 10 } }
    local res = vim.lsp.buf_request_sync(tbuf, 'textDocument/completion', params, TIMEOUT)
    vim.api.nvim_buf_set_lines(tbuf, row + 1, row + 2, false, {})
    local items = {}
    for _, r in pairs(res or {}) do
      local result = r.result or {}
      vim.list_extend(items, result.items or result)
    end
    table.sort(items, function(a, b)
      return (a.sortText or a.label) < (b.sortText or b.label)
    end)
    local top = {}
    for i = 1, math.min(6, #items) do
      table.insert(top, ('%s  (%s)'):format(items[i].label, tostring(items[i].detail)))
    end
    local missing = { ['risk.threat_model'] = true, ['risk.untrusted_content'] = true,
      ['controls.guardrails'] = true, ['resilience.timeouts'] = true }
    local first_four = #items >= 5
    for i = 1, 4 do
      first_four = first_four and missing[items[i].label] and tostring(items[i].detail):find('^missing') ~= nil
    end
    check('completing `control ` offers the 4 missing controls first, each labelled "missing"',
      first_four and not missing[items[5].label], table.concat(top, '\n'))
    vim.wait(TIMEOUT, function()
      return #grouped(wl_row) == 1 and #grouped(agent_row) == 1
    end, 50)
  end

  -- Per-control diagnostics with groupMissingControls = false, grouped again when it is cleared.
  do
    local saved = client.settings
    client.settings = { genaiScope = { diagnostics = { groupMissingControls = false } } }
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
    local apart = vim.wait(TIMEOUT, function()
      return #grouped(wl_row) == 4 and #grouped(agent_row) == 4
    end, 50)
    check('groupMissingControls = false: one diagnostic per missing control (4 + 4)', apart,
      ('%d on the workload, %d on the agent'):format(#grouped(wl_row), #grouped(agent_row)))
    client.settings = saved
    client:notify('workspace/didChangeConfiguration', { settings = client.settings or {} })
    check('with the setting cleared they are grouped again', vim.wait(TIMEOUT, function()
      return #grouped(wl_row) == 1 and #grouped(agent_row) == 1
    end, 50))
  end

  -- The agent's fix lands inside the agent's block.
  agent_diags = grouped(agent_row)
  if agent_diags[1] then
    local actions = fixes(agent_diags[1])
    say('# the agent\'s quick fixes:')
    say(indent(describe(actions)))
    local want = 'Add missing control audit.approval_trail to agent "triage-agent"'
    local before = vim.api.nvim_buf_get_lines(tbuf, 0, -1, false)
    vim.api.nvim_win_set_cursor(0, { agent_row + 1, agent_diags[1].col + 2 })
    vim.lsp.buf.code_action({
      apply = true,
      context = { only = { 'quickfix' } },
      filter = function(a) return a.title == want end,
    })
    vim.wait(TIMEOUT, function()
      return #vim.api.nvim_buf_get_lines(tbuf, 0, -1, false) ~= #before
    end, 50)
    local after = vim.api.nvim_buf_get_lines(tbuf, 0, -1, false)
    -- The inserted lines: what is left between the common first and last lines.
    local first = 1
    while first <= #before and before[first] == after[first] do
      first = first + 1
    end
    local inserted = {}
    for i = first, #after - (#before - first + 1) do
      table.insert(inserted, after[i])
    end
    local agent_end -- the agent block's closing brace, after the insertion
    for i = agent_row + 1, #after do
      if after[i] == '  }' then
        agent_end = i
        break
      end
    end
    check('"' .. want .. '" inserts the block, after a blank line, inside the agent (before its closing brace)',
      inserted[1] == '' and (inserted[2] or ''):match('^    control audit%.approval_trail {') ~= nil
        and first > agent_row + 1 and agent_end ~= nil and first + #inserted - 1 < agent_end,
      ('inserted at line %d (agent lines %d-%s):\n%s'):format(first, agent_row + 1, tostring(agent_end),
        table.concat(inserted, '\n')))
    local fewer = vim.wait(TIMEOUT, function()
      local d = grouped(agent_row)[1]
      return d ~= nil and d.message:find('is missing 3 controls', 1, true) ~= nil
    end, 50)
    check('the agent then misses 3 controls', fewer, fmt_diags(grouped(agent_row)))
  end
end

-- A plain packpath install (pack/*/start/genai-scope -> editors/nvim) sets itself up with no
-- configuration at all: filetype, the genai_scope LSP config enabled, the commands.
do
  local pack = vim.fn.tempname()
  vim.fn.mkdir(pack .. '/pack/genai-scope/start', 'p')
  uv.fs_symlink(gs.plugin_root(), pack .. '/pack/genai-scope/start/genai-scope')
  local probe = table.concat({
    'local cfg = vim.lsp.config.genai_scope',
    "io.stdout:write(vim.json.encode({ ft = vim.filetype.match({ filename = 'x.genai' }),",
    "  enabled = vim.lsp.is_enabled('genai_scope'), cmd = cfg and cfg.cmd,",
    "  explain = vim.fn.exists(':GenaiScopeExplain') == 2 }))",
  }, '\n')
  local res = vim.system({ vim.v.progpath, '--clean', '--headless', '--cmd', 'set packpath^=' .. pack,
    '-c', 'lua ' .. probe, '-c', 'qa!' }, { text = true, env = { GENAI_SCOPE_BIN = bin } }):wait(20000)
  local ok, info = pcall(vim.json.decode, res.stdout or '')
  check('a packpath install works with no configuration', ok and info.ft == 'genai' and info.enabled and info.explain
    and type(info.cmd) == 'table' and info.cmd[2] == 'lsp', (res.stdout or '') .. (res.stderr or ''))
  vim.fn.delete(pack, 'rf')
end

-- :checkhealth genai_scope reports no error.
do
  vim.cmd('checkhealth genai_scope')
  local htext = buf_text(vim.api.nvim_get_current_buf())
  say('# :checkhealth genai_scope')
  say(indent(htext))
  check(':checkhealth genai_scope runs', htext:find('genai%-scope') ~= nil)
  check(':checkhealth genai_scope reports no ERROR', htext:find('ERROR') == nil)
end

finish()
