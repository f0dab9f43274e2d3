-- indentexpr for genai buffers from queries/genai/indents.scm: a line is indented one
-- 'shiftwidth' per enclosing @indent.begin node (block bodies, lists) that starts on an earlier
-- line, one less when it starts with an @indent.branch token (`}` or `]`).
local M = {}

local function captures_by_node(bufnr, root, query)
  local begins, branches = {}, {}
  for id, node in query:iter_captures(root, bufnr, 0, -1) do
    local name = query.captures[id]
    if name == 'indent.begin' then
      begins[node:id()] = true
    elseif name == 'indent.branch' then
      branches[node:id()] = true
    end
  end
  return begins, branches
end

--- Falls back to the previous line's indent (+1 level after an opening bracket).
local function fallback(lnum)
  local prev = vim.fn.prevnonblank(lnum - 1)
  if prev == 0 then
    return 0
  end
  local indent = vim.fn.indent(prev)
  local text = vim.fn.getline(prev):gsub('%s*#.*$', '')
  if text:match('[{%[]%s*$') then
    indent = indent + vim.fn.shiftwidth()
  end
  if vim.fn.getline(lnum):match('^%s*[}%]]') then
    indent = indent - vim.fn.shiftwidth()
  end
  return math.max(indent, 0)
end

function M.get_indent(lnum, bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local ok, parser = pcall(vim.treesitter.get_parser, bufnr, 'genai')
  if not ok or not parser then
    return fallback(lnum)
  end
  local tree = parser:parse()[1]
  local query = vim.treesitter.query.get('genai', 'indents')
  if not tree or not query then
    return fallback(lnum)
  end
  local root = tree:root()
  if root:has_error() then
    return fallback(lnum)
  end
  local begins, branches = captures_by_node(bufnr, root, query)
  local row = lnum - 1
  local line = vim.fn.getline(lnum)
  local col = #(line:match('^%s*') or '')
  local node = root:descendant_for_range(row, col, row, col)
  local level = 0
  if node and branches[node:id()] and node:start() == row then
    level = level - 1
  end
  while node do
    if begins[node:id()] and node:start() < row then
      level = level + 1
    end
    node = node:parent()
  end
  return math.max(level, 0) * vim.fn.shiftwidth()
end

function M.indentexpr()
  return M.get_indent(vim.v.lnum)
end

return M
