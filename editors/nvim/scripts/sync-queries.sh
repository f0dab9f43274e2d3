#!/usr/bin/env bash
# Copies the tree-sitter queries of grammar/queries into the plugin (queries/genai/), where
# Neovim finds them on the runtimepath. Run after changing grammar/queries; the editor test
# fails when the copies differ from the originals.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=${1:-$here/../../grammar/queries}
mkdir -p "$here/queries/genai"
for q in highlights folds indents locals; do
  if [ -f "$src/$q.scm" ]; then
    cp "$src/$q.scm" "$here/queries/genai/$q.scm"
    echo "sync-queries: $q.scm"
  fi
done
