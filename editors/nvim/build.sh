#!/usr/bin/env bash
# Compiles the tree-sitter parser of the genai grammar into parser/genai.so beside this file
# (what :GenaiScopeBuildParser does), for a plugin manager's build hook:
#   lazy.nvim:  build = 'bash editors/nvim/build.sh'
# Needs cc and the grammar sources: ../../grammar (inside the genai-scope repository) or
# $GENAI_SCOPE_GRAMMAR.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
grammar=${GENAI_SCOPE_GRAMMAR:-$here/../../grammar}
cc=${CC:-cc}
[ -f "$grammar/src/parser.c" ] || { echo "build.sh: no $grammar/src/parser.c (set GENAI_SCOPE_GRAMMAR)" >&2; exit 1; }
mkdir -p "$here/parser"
srcs=("$grammar/src/parser.c")
[ -f "$grammar/src/scanner.c" ] && srcs+=("$grammar/src/scanner.c")
"$cc" -O2 -shared -fPIC -std=c11 -I "$grammar/src" "${srcs[@]}" -o "$here/parser/genai.so.tmp"
mv -f "$here/parser/genai.so.tmp" "$here/parser/genai.so"
echo "build.sh: built $here/parser/genai.so"
