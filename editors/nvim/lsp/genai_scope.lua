-- The genai-scope language server, for `vim.lsp.enable('genai_scope')` (Neovim 0.11+).
-- The binary is resolved when this config is first used: require('genai_scope').setup's
-- `server_path`, then $GENAI_SCOPE_BIN, then `genai-scope` on PATH, then the target/release or
-- target/debug build of the repository this plugin lives in. Override any field with
-- vim.lsp.config('genai_scope', { ... }).
local gs = require('genai_scope')

---@type vim.lsp.Config
return {
  cmd = { gs.server_path() or 'genai-scope', 'lsp' },
  filetypes = { 'genai' },
  -- The project's policy file marks its root; else the repository.
  root_markers = { 'genai-scope.toml', '.git' },
  -- Answered to the server's workspace/configuration request (section `genaiScope`).
  settings = {
    genaiScope = gs.server_settings(),
  },
  init_options = gs.server_settings(),
  -- Neovim 0.11 pulls diagnostics but does not answer workspace/diagnostic/refresh by itself:
  -- without this, changed settings would show only after the next edit.
  capabilities = {
    workspace = { diagnostics = { refreshSupport = true } },
  },
  handlers = {
    ['workspace/diagnostic/refresh'] = gs.on_diagnostic_refresh,
  },
}
