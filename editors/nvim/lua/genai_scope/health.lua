-- :checkhealth genai_scope
local M = {}

local uv = vim.uv or vim.loop

function M.check()
  local gs = require('genai_scope')
  local h = vim.health

  h.start('genai-scope: Neovim')
  local v = vim.version()
  if vim.fn.has('nvim-0.11') == 1 then
    h.ok(('Neovim %d.%d.%d'):format(v.major, v.minor, v.patch))
  else
    h.error(('Neovim %d.%d.%d: genai-scope needs 0.11 or newer (vim.lsp.config / vim.lsp.enable)'):format(v.major, v.minor, v.patch))
  end
  if vim.filetype.match({ filename = 'x.genai' }) == 'genai' then
    h.ok('*.genai files get the filetype genai')
  else
    h.error('*.genai files are not detected: is editors/nvim on the runtimepath?')
  end

  h.start('genai-scope: language server')
  local bin, how = gs.server_path()
  if not bin then
    h.error('the genai-scope binary was not found', {
      'put it on PATH: cargo install --path server (in the genai-scope repository)',
      "or set require('genai_scope').setup({ server_path = '/path/to/genai-scope' })",
      'or set $GENAI_SCOPE_BIN',
    })
  else
    local res = vim.system({ bin, '--version' }, { text = true }):wait(5000)
    if res.code == 0 then
      h.ok(('using %s (%s): %s'):format(bin, how, vim.trim(res.stdout or '')))
      if bin:find('/target/debug/', 1, true) then
        h.warn(bin .. ' is a debug build: slower and several times larger than a release build', {
          'build one: cargo build --release (then target/release/genai-scope is used)',
          "or set require('genai_scope').setup({ server_path = '/path/to/genai-scope' })",
        })
      end
    else
      h.warn(('%s (%s) did not answer --version (exit %s): %s'):format(bin, how, tostring(res.code), vim.trim(res.stderr or '')))
    end
  end
  local cfg = vim.lsp.config.genai_scope
  if cfg and cfg.cmd then
    h.info('cmd: ' .. (type(cfg.cmd) == 'table' and table.concat(cfg.cmd, ' ') or '<function>'))
  else
    h.error('no vim.lsp.config for genai_scope: lsp/genai_scope.lua is not on the runtimepath')
  end
  if vim.lsp.is_enabled and vim.lsp.is_enabled('genai_scope') then
    h.ok("vim.lsp.enable('genai_scope') is on")
  elseif gs.options.lsp then
    h.warn("genai_scope is not enabled: call require('genai_scope').setup() or vim.lsp.enable('genai_scope')")
  else
    h.info('the language server is turned off (setup({ lsp = false }))')
  end
  local clients = vim.lsp.get_clients({ name = 'genai_scope' })
  if #clients > 0 then
    for _, c in ipairs(clients) do
      h.ok(('client %d running, attached to %d buffer(s)'):format(c.id, vim.tbl_count(c.attached_buffers)))
    end
  else
    h.info('no genai_scope client running (one starts when a *.genai file is opened)')
  end

  h.start('genai-scope: tree-sitter')
  local parser = gs.parser_path()
  if uv.fs_stat(parser) then
    local ok, err = gs.register_parser()
    if ok then
      h.ok('parser ' .. parser .. ' loads')
    else
      h.error('parser ' .. parser .. ' does not load: ' .. tostring(err), { 'rebuild it: :GenaiScopeBuildParser' })
    end
  else
    local advice = { 'build it: :GenaiScopeBuildParser (needs cc and the grammar sources)' }
    if not gs.grammar_dir() then
      table.insert(advice, 'grammar sources not found: set $GENAI_SCOPE_GRAMMAR to the grammar/ folder')
    end
    h.warn('no parser at ' .. parser .. ': highlighting, folds and indentation fall back to none', advice)
  end
  if vim.fn.executable(vim.env.CC or 'cc') == 1 then
    h.ok('C compiler: ' .. vim.fn.exepath(vim.env.CC or 'cc'))
  else
    h.warn('no C compiler (cc) to build the parser')
  end
  for _, q in ipairs({ 'highlights', 'folds', 'indents' }) do
    local files = vim.treesitter.query.get_files('genai', q)
    if #files == 0 then
      h.error(('no queries/genai/%s.scm on the runtimepath'):format(q))
    elseif uv.fs_stat(parser) then
      local ok, err = pcall(vim.treesitter.query.get, 'genai', q)
      if ok then
        h.ok(('queries/genai/%s.scm compiles'):format(q))
      else
        h.error(('queries/genai/%s.scm: %s'):format(q, tostring(err)))
      end
    else
      h.info(('queries/genai/%s.scm present'):format(q))
    end
  end
end

return M
