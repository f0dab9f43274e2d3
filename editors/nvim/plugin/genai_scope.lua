-- genai-scope for Neovim 0.11+: filetype, tree-sitter parser and queries, the `genai_scope`
-- LSP config (lsp/genai_scope.lua), commands and :checkhealth genai_scope.
--
-- Loading this file sets everything up with the defaults, or with `vim.g.genai_scope` (a table
-- of the options of require('genai_scope').setup()). Set `vim.g.genai_scope = { auto_setup =
-- false }` to do nothing until you call setup() yourself.
if vim.g.loaded_genai_scope then
  return
end
vim.g.loaded_genai_scope = true

if vim.fn.has('nvim-0.11') == 0 then
  vim.notify_once('genai-scope: this plugin needs Neovim 0.11 or newer', vim.log.levels.WARN)
  return
end

vim.filetype.add({ extension = { genai = 'genai' } })

local opts = vim.g.genai_scope
if type(opts) ~= 'table' then
  opts = {}
end
if opts.auto_setup ~= false then
  require('genai_scope').setup(opts)
end
