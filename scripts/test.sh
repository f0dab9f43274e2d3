#!/usr/bin/env bash
# Runs every test: formatting and lints, unit, snapshot and end-to-end tests (CLI and LSP),
# the grammar's generated parser and corpus, SARIF and CycloneDX validation, the GitHub Action
# and pre-commit hooks, and the real editors.
# Installs what is missing first (scripts/setup.sh). Ends with "suites: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

bash scripts/setup.sh || { echo "setup failed"; exit 2; }

passed=0
failed=0
failures=()
suite() {
  local name=$1
  shift
  echo
  echo "==== $name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "==== $name: ok ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "==== $name: FAILED ($((SECONDS - started)) s)"
  fi
}

grammar_is_generated() {
  local scratch
  scratch=$(mktemp -d)
  cp -r grammar/grammar.js grammar/tree-sitter.json grammar/package.json "$scratch/"
  (cd "$scratch" && tree-sitter generate --js-runtime native >/dev/null) || return 1
  for file in parser.c grammar.json node-types.json; do
    if ! cmp -s "$scratch/src/$file" "grammar/src/$file"; then
      echo "grammar/src/$file differs from what grammar.js generates: run 'cd grammar && tree-sitter generate --js-runtime native'"
      return 1
    fi
  done
  echo "grammar/src matches grammar.js"
}

suite "cargo fmt" cargo fmt --all -- --check
suite "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
suite "cargo test (unit, snapshot, CLI and LSP end-to-end)" cargo test --workspace --locked
suite "grammar: committed parser matches grammar.js" grammar_is_generated
suite "grammar: tree-sitter corpus and queries" bash -c 'cd grammar && tree-sitter test'
suite "SARIF: Microsoft SARIF validator with GitHub rules" bash tests/sarif/validate.sh
suite "CycloneDX: strict CycloneDX 1.6 schema validation of the inventories" bash tests/cyclonedx/validate.sh
suite "ecosystem: GitHub Action and workflow schemas, pre-commit hooks" bash tests/ecosystem/validate.sh
export GENAI_SCOPE_BIN=${GENAI_SCOPE_BIN:-$root/target/debug/genai-scope}
mkdir -p tests/artifacts
suite "report: the HTML report in headless Chromium" env SCREENSHOT="$root/tests/artifacts/report.png" node tests/report/test.mjs
suite "editors: Neovim and VS Code" bash tests/editors/run.sh
# A short run of every fuzz target; longer runs: fuzz/run.sh 60
suite "fuzz: every target for ${FUZZ_SECONDS:-15} s" bash fuzz/run.sh "${FUZZ_SECONDS:-15}"

echo
for name in "${failures[@]}"; do
  echo "failed: $name"
done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
