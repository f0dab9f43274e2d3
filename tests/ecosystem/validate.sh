#!/usr/bin/env bash
# Checks what genai-scope ships for other tools:
#   - action.yml against GitHub's action schema and the example workflow against the workflow
#     schema (check-jsonschema's vendored schemas, offline);
#   - .pre-commit-hooks.yaml with `pre-commit try-repo` in a scratch git repository: both hooks
#     pass on a clean declaration, fmt fails on (and rewrites) a badly laid out one, check fails
#     on a broken one.
# Exits 1 when a check fails, 2 when something could not be run. Uses the binary in
# GENAI_SCOPE_BIN, else builds target/debug/genai-scope.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=python-tools.sh
source "$here/python-tools.sh"

if [ -n "${GENAI_SCOPE_BIN:-}" ]; then
  bin=$GENAI_SCOPE_BIN
else
  (cd "$root" && cargo build --quiet -p genai-scope --bin genai-scope) || { echo "cargo build failed" >&2; exit 2; }
  bin=${CARGO_TARGET_DIR:-$root/target}/debug/genai-scope
fi
[ -x "$bin" ] || { echo "no genai-scope binary at $bin" >&2; exit 2; }

failed=0
pass() { echo "[ecosystem] ok: $*"; }
fail() { echo "[ecosystem] FAILED: $*"; failed=1; }

# --- GitHub Action and workflow ----------------------------------------------------------------
if "$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions "$root/action.yml"; then
  pass "action.yml matches the GitHub Actions schema"
else
  fail "action.yml"
fi
if "$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows \
  "$root/docs/examples/github-workflow.yml"; then
  pass "docs/examples/github-workflow.yml matches the GitHub workflow schema"
else
  fail "docs/examples/github-workflow.yml"
fi

# The copy-paste workflow of README.md: the first YAML block of its CI section.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk '/^## CI, pre-commit/ { section = 1 } section && /^```yaml/ { inside = 1; next }
  inside && /^```/ { exit } inside { print }' "$root/README.md" >"$work/readme-workflow.yml"
if [ -s "$work/readme-workflow.yml" ] &&
  "$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$work/readme-workflow.yml"; then
  pass "README.md's workflow matches the GitHub workflow schema"
else
  fail "README.md's workflow"
fi

# --- pre-commit hooks --------------------------------------------------------------------------
export PRE_COMMIT_HOME=$work/pre-commit-cache
export PATH="$(dirname "$bin"):$PATH"
# The hooks manifest of the working copy, committed in a repository of its own: try-repo then
# tests this file whether or not it is committed here.
hooks=$work/hooks
mkdir -p "$hooks"
cp "$root/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init --quiet
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" -c user.email=test@example.com -c user.name=test commit --quiet -m hooks
repo=$work/repo
mkdir -p "$repo"
cd "$repo"
git init --quiet
cp "$root/examples/clean-internal-summarizer.genai" workload.genai
git add workload.genai

try_hook() { # HOOK: runs it on every file of the scratch repository
  "$venv/bin/pre-commit" try-repo "$hooks" "$1" --all-files >"$work/$1.log" 2>&1
}
for hook in genai-scope-check genai-scope-fmt; do
  if try_hook "$hook"; then
    pass "$hook passes on a clean declaration"
  else
    cat "$work/$hook.log"
    fail "$hook on a clean declaration"
  fi
done

# The same workload with its layout broken: fmt fails and rewrites it.
sed 's/^  owner *= */  owner=/' "$root/examples/clean-internal-summarizer.genai" >workload.genai
git add workload.genai
if try_hook genai-scope-fmt; then
  fail "genai-scope-fmt passed on a badly laid out file"
elif cmp -s workload.genai "$root/examples/clean-internal-summarizer.genai"; then
  pass "genai-scope-fmt fails on a badly laid out file and formats it"
else
  cat "$work/genai-scope-fmt.log"
  fail "genai-scope-fmt did not restore the canonical layout"
fi

# A broken declaration: an unknown hosting value.
sed 's/hosting *= *managed_api/hosting = on_my_laptop/' \
  "$root/examples/clean-internal-summarizer.genai" >workload.genai
git add workload.genai
if try_hook genai-scope-check; then
  fail "genai-scope-check passed on a broken declaration"
elif grep -q "on_my_laptop" "$work/genai-scope-check.log"; then
  pass "genai-scope-check fails on a broken declaration and says why"
else
  cat "$work/genai-scope-check.log"
  fail "genai-scope-check failed without naming the problem"
fi

exit "$failed"
