#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian 12 machine (as root, package registries
# only) and reuses what is already there: the tree-sitter CLI, Neovim 0.11, Chromium,
# code-server, playwright-core, vsce, the SARIF validator and the Python tools of the CycloneDX
# and ecosystem checks. Idempotent.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

TREE_SITTER_VERSION=0.27.1

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing; install Rust stable (rustup) first" >&2
  exit 2
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

if command -v tree-sitter >/dev/null 2>&1 && tree-sitter --version | grep -qF "$TREE_SITTER_VERSION"; then
  echo "[setup] reusing $(tree-sitter --version)"
else
  # The npm package downloads a binary from GitHub, which is unreachable; build it instead.
  echo "[setup] cargo install tree-sitter-cli $TREE_SITTER_VERSION (about 5 minutes)"
  cargo install tree-sitter-cli --locked --version "$TREE_SITTER_VERSION" --quiet
fi

bash tests/editors/setup.sh

# cyclonedx-python-lib, check-jsonschema and pre-commit, pinned, in .tools/ecosystem-venv.
(source tests/ecosystem/python-tools.sh && echo "[setup] Python tools in $venv")

