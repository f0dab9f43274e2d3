#!/usr/bin/env bash
# The editor tests, in the real editors, against the real server:
#
#   bash tests/editors/setup.sh && bash tests/editors/run.sh [nvim|vscode]...
#
# 1. the server: $GENAI_SCOPE_BIN, else `cargo build --release -p genai-scope` (a no-op when fresh)
# 2. the .vsix: editors/vscode built and packaged for this platform with the server inside
# 3. Neovim 0.11 headless with editors/nvim on the runtimepath   (tests/editors/nvim/test.lua)
# 4. code-server + headless Chromium + playwright-core            (tests/editors/vscode/test.mjs)
#
# Prints what each test saw and how long each step took; exits non-zero on any failure.
# Screenshots and the .vsix land in tests/artifacts/ (git-ignored).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${GENAI_SCOPE_TOOLS:-$root/.tools}
artifacts=$root/tests/artifacts
mkdir -p "$artifacts"
cd "$root"

want_nvim=1
want_vscode=1
if [ $# -gt 0 ]; then
  want_nvim=0
  want_vscode=0
  for a in "$@"; do
    case "$a" in
      nvim) want_nvim=1 ;;
      vscode) want_vscode=1 ;;
      *) echo "usage: $0 [nvim|vscode]..." >&2; exit 2 ;;
    esac
  done
fi

nvim=$tools/nvim-venv/bin/nvim
code_server=$tools/code-server/node_modules/.bin/code-server
missing=()
[ $want_nvim = 1 ] && [ ! -x "$nvim" ] && missing+=("$nvim")
if [ $want_vscode = 1 ]; then
  [ -x "$code_server" ] || missing+=("$code_server")
  [ -x /usr/bin/chromium ] || missing+=(/usr/bin/chromium)
  [ -d "$here/node_modules/playwright-core" ] || missing+=("$here/node_modules/playwright-core")
  [ -d "$root/editors/vscode/node_modules/@vscode/vsce" ] || missing+=("$root/editors/vscode/node_modules/@vscode/vsce")
fi
if [ ${#missing[@]} -gt 0 ]; then
  printf 'run.sh: not installed: %s\nrun.sh: run bash tests/editors/setup.sh first\n' "${missing[*]}" >&2
  exit 1
fi

declare -a summary=()
total_pass=0
total_fail=0
status=0
t_all=$SECONDS

step() { # label seconds result
  summary+=("$(printf '%-28s %5ss  %s' "$1" "$2" "$3")")
}

# Adds the `N passed, N failed` closing line of a test's log to the totals; sets $result.
result=
count() {
  local line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [ -n "$line" ]; then
    p=${line%% passed*}
    f=${line#*, }
    f=${f%% failed*}
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    result=$line
  else
    total_fail=$((total_fail + 1))
    result="no result line"
  fi
}

# --- 1. the server ---------------------------------------------------------------------------
t=$SECONDS
if [ -n "${GENAI_SCOPE_BIN:-}" ]; then
  bin=$GENAI_SCOPE_BIN
  echo "== server: \$GENAI_SCOPE_BIN = $bin"
else
  echo "== server: cargo build --release -p genai-scope"
  if ! cargo build --release -p genai-scope; then
    echo "run.sh: the server does not build" >&2
    exit 1
  fi
  bin=$root/target/release/genai-scope
fi
case "$bin" in /*) ;; *) bin=$root/$bin ;; esac
if [ ! -x "$bin" ]; then
  echo "run.sh: no executable server at $bin" >&2
  exit 1
fi
export GENAI_SCOPE_BIN=$bin
step "server build" $((SECONDS - t)) "$bin"

# --- 2. the .vsix ----------------------------------------------------------------------------
vsix=$artifacts/genai-scope-test.vsix
if [ $want_vscode = 1 ]; then
  t=$SECONDS
  echo "== VS Code extension unit tests (node --test)"
  if (cd "$root/editors/vscode" && node --test test/ >"$artifacts/vscode-unit.log" 2>&1); then
    grep -E '^# (pass|fail)' "$artifacts/vscode-unit.log"
    step "vscode unit tests" $((SECONDS - t)) "$(grep -E '^# pass' "$artifacts/vscode-unit.log")"
  else
    cat "$artifacts/vscode-unit.log"
    step "vscode unit tests" $((SECONDS - t)) "FAILED"
    status=1
  fi
  unit_pass=$(sed -n 's/^# pass //p' "$artifacts/vscode-unit.log" | tail -n1)
  unit_fail=$(sed -n 's/^# fail //p' "$artifacts/vscode-unit.log" | tail -n1)
  total_pass=$((total_pass + ${unit_pass:-0}))
  total_fail=$((total_fail + ${unit_fail:-1}))

  t=$SECONDS
  echo "== package the VS Code extension with the server inside"
  if VSIX_OUT=$vsix bash "$root/editors/vscode/scripts/package.sh" "$bin" >"$artifacts/package.log" 2>&1; then
    grep -E 'DONE|package.sh:' "$artifacts/package.log"
    step "vsix package" $((SECONDS - t)) "$vsix"
  else
    cat "$artifacts/package.log"
    step "vsix package" $((SECONDS - t)) "FAILED"
    status=1
    want_vscode=0
    total_fail=$((total_fail + 1))
  fi
fi

# --- 3. Neovim -------------------------------------------------------------------------------
if [ $want_nvim = 1 ]; then
  t=$SECONDS
  echo "== Neovim: $("$nvim" --version | head -n1)"
  GENAI_SCOPE_ROOT=$root timeout 300 "$nvim" --clean --headless \
    --cmd "set rtp^=$root/editors/nvim" -l "$here/nvim/test.lua" 2>&1 | tee "$artifacts/nvim.log"
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || status=1
  count "$artifacts/nvim.log"
  step "nvim test" $((SECONDS - t)) "exit $rc: $result"
fi

# --- 4. VS Code ------------------------------------------------------------------------------
if [ $want_vscode = 1 ]; then
  t=$SECONDS
  echo "== VS Code: code-server $("$code_server" --version 2>/dev/null | grep -E '^[0-9]' | head -n1)"
  VSIX=$vsix CODE_SERVER=$code_server GENAI_SCOPE_ROOT=$root ARTIFACTS=$artifacts \
    timeout 420 node "$here/vscode/test.mjs" 2>&1 | tee "$artifacts/vscode.log"
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || status=1
  count "$artifacts/vscode.log"
  step "vscode test" $((SECONDS - t)) "exit $rc: $result"
fi

echo
echo "== editor tests ($((SECONDS - t_all)) s in all)"
printf '  %s\n' "${summary[@]}"
echo "editors: $total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ] || status=1
exit $status
