-- genai-scope for Neovim 0.11+.
--
--   require('genai_scope').setup({
--     server_path = nil,          -- the genai-scope binary (default: see M.server_path())
--     lsp = true,                 -- vim.lsp.enable('genai_scope')
--     treesitter = true,          -- register parser/genai.so; highlight, fold and indent with it
--     severity_overrides = {},    -- { ['resilience.circuit_breaker'] = 'info', ... }
--     disabled_rules = {},        -- { 'overdue-control', ... }
--   })
--
-- Commands: :GenaiScopeBuildParser, :GenaiScopeExplain [id], :GenaiScopeMatrix,
-- :GenaiScopeReport [file.html], :GenaiScopeRestart, :GenaiScopeInfo. Health: :checkhealth genai_scope.
local M = {}

local uv = vim.uv or vim.loop

---@class genai_scope.Options
---@field server_path? string
---@field lsp? boolean
---@field treesitter? boolean
---@field severity_overrides? table<string, string>
---@field disabled_rules? string[]
M.options = {
  server_path = nil,
  lsp = true,
  treesitter = true,
  severity_overrides = {},
  disabled_rules = {},
  -- A workload's missing controls as one diagnostic (false: one per control).
  group_missing_controls = true,
}

--- The plugin's root (editors/nvim), from this file's path.
function M.plugin_root()
  local src = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')
  return vim.fs.dirname(vim.fs.dirname(vim.fs.dirname(vim.fs.normalize(src))))
end

--- The genai-scope repository the plugin lives in, when it does (editors/nvim inside it).
function M.repo_root()
  local root = vim.fs.dirname(vim.fs.dirname(M.plugin_root()))
  if uv.fs_stat(root .. '/grammar/src/parser.c') or uv.fs_stat(root .. '/server') then
    return root
  end
  return nil
end

local function executable(path)
  return path and path ~= '' and vim.fn.executable(path) == 1
end

--- Where the server binary is, and how it was found; nil when it is nowhere.
---@return string?, string?
function M.server_path()
  local candidates = {
    { M.options.server_path, 'setup({ server_path })' },
    { vim.g.genai_scope_server_path, 'g:genai_scope_server_path' },
    { vim.env.GENAI_SCOPE_BIN, '$GENAI_SCOPE_BIN' },
  }
  for _, c in ipairs(candidates) do
    if c[1] and c[1] ~= '' then
      local p = vim.fn.expand(c[1])
      if executable(p) then
        return vim.fn.exepath(p) ~= '' and vim.fn.exepath(p) or p, c[2]
      end
    end
  end
  local on_path = vim.fn.exepath('genai-scope')
  if on_path ~= '' then
    return on_path, 'PATH'
  end
  local repo = M.repo_root()
  if repo then
    -- The release build, else the debug one (slower and larger: :checkhealth says so).
    for _, profile in ipairs({ 'release', 'debug' }) do
      local p = repo .. '/target/' .. profile .. '/genai-scope'
      if uv.fs_stat(p) and executable(p) then
        return p, 'repository ' .. profile .. ' build'
      end
    end
  end
  return nil
end

--- The `genaiScope` settings section sent to the server.
function M.server_settings()
  local overrides = M.options.severity_overrides or {}
  return {
    severityOverrides = next(overrides) and overrides or vim.empty_dict(),
    disabledRules = M.options.disabled_rules or {},
    diagnostics = { groupMissingControls = M.options.group_missing_controls ~= false },
  }
end

--- workspace/diagnostic/refresh: pull the diagnostics of every buffer the client is attached to.
function M.on_diagnostic_refresh(_, _, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client then
    for bufnr in pairs(client.attached_buffers) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        client:request('textDocument/diagnostic', {
          textDocument = vim.lsp.util.make_text_document_params(bufnr),
        }, vim.lsp.diagnostic.on_diagnostic, bufnr)
      end
    end
  end
  return vim.NIL
end

-- ---------------------------------------------------------------------------------------------
-- Tree-sitter

--- Where the parser is compiled to and looked up.
function M.parser_path()
  return M.plugin_root() .. '/parser/genai.so'
end

--- The grammar sources: $GENAI_SCOPE_GRAMMAR or the repository's grammar/.
function M.grammar_dir()
  local dir = vim.env.GENAI_SCOPE_GRAMMAR
  if dir and dir ~= '' then
    return dir
  end
  local repo = M.repo_root()
  return repo and (repo .. '/grammar') or nil
end

--- Compiles grammar/src/parser.c (and scanner.c, if any) into parser/genai.so with cc.
---@return boolean ok, string message
function M.build_parser()
  local grammar = M.grammar_dir()
  if not grammar or not uv.fs_stat(grammar .. '/src/parser.c') then
    return false, 'grammar sources not found (set $GENAI_SCOPE_GRAMMAR to the grammar/ folder)'
  end
  local cc = vim.env.CC and vim.env.CC ~= '' and vim.env.CC or 'cc'
  if vim.fn.executable(cc) == 0 then
    return false, cc .. ' not found: install a C compiler (Debian: apt-get install gcc)'
  end
  local out = M.parser_path()
  vim.fn.mkdir(vim.fs.dirname(out), 'p')
  local tmp = out .. '.tmp'
  local cmd = { cc, '-O2', '-shared', '-fPIC', '-std=c11', '-I', grammar .. '/src', grammar .. '/src/parser.c' }
  if uv.fs_stat(grammar .. '/src/scanner.c') then
    table.insert(cmd, grammar .. '/src/scanner.c')
  end
  vim.list_extend(cmd, { '-o', tmp })
  local res = vim.system(cmd, { text = true }):wait()
  if res.code ~= 0 then
    return false, 'cc failed: ' .. (res.stderr or '')
  end
  -- Rename over the old file: a loaded .so is never overwritten in place.
  local ok, err = os.rename(tmp, out)
  if not ok then
    return false, 'could not write ' .. out .. ': ' .. tostring(err)
  end
  return true, 'built ' .. out
end

local parser_registered = false

--- Registers parser/genai.so for the `genai` filetype. Returns false (and why) when it is missing.
function M.register_parser()
  if parser_registered then
    return true
  end
  local path = M.parser_path()
  if not uv.fs_stat(path) then
    return false, 'no ' .. path .. ' (run :GenaiScopeBuildParser)'
  end
  local ok, res, err = pcall(vim.treesitter.language.add, 'genai', { path = path })
  if not ok or not res then
    return false, tostring(ok and err or res)
  end
  vim.treesitter.language.register('genai', 'genai')
  parser_registered = true
  return true
end

--- Tree-sitter highlighting, folds and indentation for one buffer.
function M.attach_treesitter(buf)
  if not M.options.treesitter then
    return
  end
  if not M.register_parser() then
    return -- :checkhealth genai_scope says why
  end
  if not pcall(vim.treesitter.start, buf, 'genai') then
    return
  end
  for _, win in ipairs(vim.fn.win_findbuf(buf)) do
    vim.wo[win][0].foldmethod = 'expr'
    vim.wo[win][0].foldexpr = 'v:lua.vim.treesitter.foldexpr()'
    vim.wo[win][0].foldlevel = 99
  end
  vim.bo[buf].indentexpr = "v:lua.require'genai_scope.indent'.indentexpr()"
  vim.bo[buf].indentkeys = '0{,0},0],!^F,o,O'
end

-- ---------------------------------------------------------------------------------------------
-- Commands

local function client_for(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'genai_scope' })[1]
end

--- Rule ids at the cursor: the control id under it, then the codes of genai-scope diagnostics there.
function M.rules_at_cursor(buf, win)
  buf = buf or vim.api.nvim_get_current_buf()
  win = win or vim.api.nvim_get_current_win()
  local row, col = unpack(vim.api.nvim_win_get_cursor(win))
  local out, seen = {}, {}
  local function add(id)
    if id and not seen[id] then
      seen[id] = true
      table.insert(out, id)
    end
  end
  local line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1] or ''
  local init = 1
  while true do
    local s, e = line:find('[%a_][%w_%-]*%.[%a_][%w_%-.]*', init)
    if not s then
      break
    end
    if s - 1 <= col and col < e then
      add(line:sub(s, e))
    end
    init = e + 1
  end
  for _, d in ipairs(vim.diagnostic.get(buf, { lnum = row - 1 })) do
    if d.source == 'genai-scope' and d.col <= col and (d.end_lnum > row - 1 or col < d.end_col) then
      add(d.message:match('^missing control ([%w_.%-]+)'))
      add(d.code and tostring(d.code) or nil)
    end
  end
  return out
end

local function show_markdown(title, text)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(text, '\n', { plain = true }))
  vim.bo[buf].filetype = 'markdown'
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  pcall(vim.api.nvim_buf_set_name, buf, title)
  vim.cmd('botright split')
  vim.api.nvim_win_set_buf(0, buf)
  vim.keymap.set('n', 'q', '<cmd>close<cr>', { buffer = buf, nowait = true })
  return buf
end

--- `genai-scope explain <id>` in a read-only Markdown split.
function M.explain(id)
  if not id or id == '' then
    local here = M.rules_at_cursor()
    if #here == 0 then
      vim.notify('genai-scope: no rule or control at the cursor; :GenaiScopeExplain <id>', vim.log.levels.WARN)
      return
    elseif #here > 1 then
      vim.ui.select(here, { prompt = 'Explain which rule?' }, function(choice)
        if choice then
          M.explain(choice)
        end
      end)
      return
    end
    id = here[1]
  end
  local bin = M.server_path()
  if not bin then
    vim.notify('genai-scope: the genai-scope binary was not found; see :checkhealth genai_scope', vim.log.levels.ERROR)
    return
  end
  -- From the file's directory, so that the project's genai-scope.toml (custom controls) applies.
  local dir = vim.fn.expand('%:p:h')
  local cwd = (dir ~= '' and uv.fs_stat(dir)) and dir or nil
  local res = vim.system({ bin, 'explain', id }, { text = true, cwd = cwd }):wait(15000)
  if res.code ~= 0 then
    vim.notify(('genai-scope explain %s: %s'):format(id, vim.trim(res.stderr or res.stdout or '')), vim.log.levels.ERROR)
    return
  end
  return show_markdown('genai-scope://explain/' .. id, res.stdout)
end

--- Sends a genai-scope request about a buffer and waits for its result.
local function request_sync(buf, method, params, timeout_ms)
  buf = buf or vim.api.nvim_get_current_buf()
  local client = client_for(buf)
  if not client then
    return nil, 'no genai_scope client attached to this buffer'
  end
  params = vim.tbl_extend('force', { textDocument = vim.lsp.util.make_text_document_params(buf) }, params or {})
  local res, err = client:request_sync(method, params, timeout_ms or 5000, buf)
  if not res then
    return nil, err or 'timeout'
  end
  if res.err then
    return nil, res.err.message or vim.inspect(res.err)
  end
  return res.result
end

--- Asks the server for `genaiScope/workloads` of a buffer (synchronously).
function M.workloads(buf, timeout_ms)
  return request_sync(buf, 'genaiScope/workloads', nil, timeout_ms)
end

local function workload_at(result, line)
  for _, w in ipairs(result and result.workloads or {}) do
    if w.range and w.range.start.line <= line and line <= w.range['end'].line then
      return w
    end
  end
  return result and result.workloads and result.workloads[1] or nil
end

--- A one-line summary of the scope of the workload under the cursor, for a statusline.
function M.statusline()
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype ~= 'genai' or not client_for(buf) then
    return ''
  end
  local cached = vim.b[buf].genai_scope_workloads
  local w = workload_at(cached, vim.api.nvim_win_get_cursor(0)[1] - 1)
  if not w or not w.inferredScope then
    return ''
  end
  return ('scope %d: %s'):format(w.inferredScope, w.scopeName or '')
end

--- Asks the server for `genaiScope/report` of a buffer (synchronously): the report that
--- `genai-scope report` renders, for the buffer as it is. `format` is 'markdown' or 'html'.
function M.report(buf, format, timeout_ms)
  local result, err = request_sync(buf, 'genaiScope/report', { format = format or 'markdown' }, timeout_ms)
  return result and result.content, err
end

--- The buffer's scoping matrix in a Markdown split: the report's Markdown rendering.
function M.show_matrix()
  local buf = vim.api.nvim_get_current_buf()
  local markdown, err = M.report(buf, 'markdown')
  if not markdown then
    vim.notify('genai-scope: ' .. tostring(err), vim.log.levels.ERROR)
    return
  end
  return show_markdown('genai-scope://matrix/' .. vim.fn.bufname(buf), markdown)
end

--- Writes the buffer's HTML report (the heat map) to `path` (default: a temporary file) and
--- opens it with vim.ui.open; returns the path.
function M.write_report(path)
  local buf = vim.api.nvim_get_current_buf()
  local html, err = M.report(buf, 'html')
  if not html then
    vim.notify('genai-scope: ' .. tostring(err), vim.log.levels.ERROR)
    return
  end
  path = (path and path ~= '') and vim.fn.fnamemodify(path, ':p') or (vim.fn.tempname() .. '.html')
  local ok, write_err = pcall(vim.fn.writefile, vim.split(html, '\n', { plain = true }), path, 'b')
  if not ok then
    vim.notify('genai-scope: cannot write ' .. path .. ': ' .. tostring(write_err), vim.log.levels.ERROR)
    return
  end
  if vim.ui.open then
    vim.ui.open(path)
  end
  return path
end

--- Stops the clients and starts them again for the open genai buffers (a rebuilt binary, new
--- settings).
function M.restart()
  vim.lsp.enable('genai_scope', false)
  vim.defer_fn(function()
    vim.lsp.enable('genai_scope', true) -- re-runs FileType for the open buffers
  end, 500)
end

local function info()
  local bin, how = M.server_path()
  local lines = {
    'server:  ' .. (bin and (bin .. ' (' .. how .. ')') or 'not found'),
    'parser:  ' .. M.parser_path() .. (uv.fs_stat(M.parser_path()) and '' or ' (missing)'),
    'grammar: ' .. tostring(M.grammar_dir()),
  }
  local c = client_for(0)
  table.insert(lines, 'client:  ' .. (c and ('attached, id ' .. c.id) or 'not attached'))
  vim.notify(table.concat(lines, '\n'))
end

local commands_made = false
local function make_commands()
  if commands_made then
    return
  end
  commands_made = true
  vim.api.nvim_create_user_command('GenaiScopeBuildParser', function()
    local ok, msg = M.build_parser()
    if ok then
      parser_registered = false
      local reg_ok, reg_err = M.register_parser()
      vim.notify('genai-scope: ' .. msg .. (reg_ok and '' or (' (but: ' .. tostring(reg_err) .. ')')))
      for _, buf in ipairs(vim.api.nvim_list_bufs()) do
        if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'genai' then
          M.attach_treesitter(buf)
        end
      end
    else
      vim.notify('genai-scope: ' .. msg, vim.log.levels.ERROR)
    end
  end, { desc = 'genai-scope: compile the tree-sitter parser (parser/genai.so) with cc' })
  vim.api.nvim_create_user_command('GenaiScopeExplain', function(a)
    M.explain(a.args ~= '' and a.args or nil)
  end, { nargs = '?', desc = 'genai-scope: explain a diagnostic code or control id (default: at the cursor)' })
  vim.api.nvim_create_user_command('GenaiScopeMatrix', M.show_matrix, { desc = 'genai-scope: the scoping matrix of this file' })
  vim.api.nvim_create_user_command('GenaiScopeReport', function(a)
    M.write_report(a.args)
  end, { nargs = '?', complete = 'file', desc = 'genai-scope: write the HTML report of this file and open it' })
  vim.api.nvim_create_user_command('GenaiScopeRestart', M.restart, { desc = 'genai-scope: restart the language server' })
  vim.api.nvim_create_user_command('GenaiScopeInfo', info, { desc = 'genai-scope: where the server and parser are' })
end

--- Sets the plugin up; safe to call again with other options.
---@param opts? genai_scope.Options
function M.setup(opts)
  opts = opts or {}
  M.options = vim.tbl_deep_extend('force', M.options, opts)
  vim.filetype.add({ extension = { genai = 'genai' } })
  make_commands()

  local group = vim.api.nvim_create_augroup('genai_scope', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'genai',
    callback = function(ev)
      M.attach_treesitter(ev.buf)
      if M.options.lsp and not M.server_path() then
        vim.notify_once(
          'genai-scope: the genai-scope binary was not found. Put it on PATH (cargo install --path server), '
            .. "or set require('genai_scope').setup({ server_path = '/path/to/genai-scope' }). See :checkhealth genai_scope",
          vim.log.levels.WARN
        )
      end
    end,
  })
  -- The most severe finding first in signs and virtual text; the code lenses' commands.
  vim.api.nvim_create_autocmd('LspAttach', {
    group = group,
    callback = function(ev)
      local client = vim.lsp.get_client_by_id(ev.data.client_id)
      if not client or client.name ~= 'genai_scope' then
        return
      end
      for _, pull in ipairs({ false, true }) do
        vim.diagnostic.config({ severity_sort = true }, vim.lsp.diagnostic.get_namespace(client.id, pull))
      end
      vim.lsp.commands['genaiScope.showScopingMatrix'] = function()
        M.show_matrix()
      end
      if client:supports_method('textDocument/codeLens') then
        vim.lsp.codelens.refresh({ bufnr = ev.buf })
      end
    end,
  })
  -- Keep the last workloads answer per buffer for M.statusline(); refreshed after diagnostics.
  vim.api.nvim_create_autocmd('DiagnosticChanged', {
    group = group,
    callback = function(ev)
      if vim.bo[ev.buf].filetype ~= 'genai' then
        return
      end
      local client = client_for(ev.buf)
      if not client then
        return
      end
      if client:supports_method('textDocument/codeLens') then
        vim.lsp.codelens.refresh({ bufnr = ev.buf })
      end
      client:request('genaiScope/workloads', {
        textDocument = vim.lsp.util.make_text_document_params(ev.buf),
      }, function(err, result)
        if not err and result and vim.api.nvim_buf_is_valid(ev.buf) then
          vim.b[ev.buf].genai_scope_workloads = result
        end
      end, ev.buf)
    end,
  })

  if M.options.lsp then
    -- Settings changed by a later setup() reach new clients through the config.
    vim.lsp.config('genai_scope', {
      settings = { genaiScope = M.server_settings() },
      init_options = M.server_settings(),
    })
    if M.options.server_path then
      vim.lsp.config('genai_scope', { cmd = { M.server_path() or M.options.server_path, 'lsp' } })
    end
    vim.lsp.enable('genai_scope')
  end

  -- Buffers already open (setup() called late, e.g. by a lazy-loading plugin manager).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'genai' then
      M.attach_treesitter(buf)
    end
  end
end

return M
