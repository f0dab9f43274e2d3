-- *.genai files are genai-scope workload declarations (also done by plugin/genai_scope.lua, for
-- setups that load plugins but skip ftdetect).
vim.filetype.add({ extension = { genai = 'genai' } })
