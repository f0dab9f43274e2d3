#!/usr/bin/env bash
# Validates `genai-scope check --format sarif` with Microsoft's SARIF validator, including the
# rules GitHub code scanning applies when it ingests a log (`--rule-kind "Sarif;Gh"`).
#
#   bash tests/sarif/validate.sh              # checks examples/
#   bash tests/sarif/validate.sh PATH...      # checks the given files or directories
#   bash tests/sarif/validate.sh --log FILE   # validates an existing SARIF log instead
#
# Installs @microsoft/sarif-multitool 5.7.0 from npm into .tools/sarif-multitool (git-ignored;
# override the tools folder with GENAI_SCOPE_TOOLS) and reuses it when present. Uses the binary
# in GENAI_SCOPE_BIN, else builds and uses target/debug/genai-scope. Prints every finding of the
# validator; exits 1 when one of them is at level `error`, 2 when something could not be run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${GENAI_SCOPE_TOOLS:-$root/.tools}
MULTITOOL_VERSION=5.7.0

say() { printf '[sarif] %s\n' "$*"; }
die() { printf '[sarif] %s\n' "$*" >&2; exit 2; }

# --- the validator ---------------------------------------------------------------------------
dir=$tools/sarif-multitool
multitool=$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
installed_version() {
  node -p "require('$dir/node_modules/@microsoft/sarif-multitool-linux/package.json').version" \
    2>/dev/null || true
}
if [ -f "$multitool" ] && [ "$(installed_version)" = "$MULTITOOL_VERSION" ]; then
  say "reusing Sarif.Multitool $MULTITOOL_VERSION ($multitool)"
else
  command -v npm >/dev/null 2>&1 || die "npm is needed to install @microsoft/sarif-multitool"
  say "installing @microsoft/sarif-multitool $MULTITOOL_VERSION into $dir"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || printf '{ "private": true }\n' >"$dir/package.json"
  # The wrapper pulls the platform package with a caret range: pin that one too.
  npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool@$MULTITOOL_VERSION" \
    "@microsoft/sarif-multitool-linux@$MULTITOOL_VERSION" >/dev/null
  [ -f "$multitool" ] || die "npm did not install $multitool"
fi
# npm skips the package's install script, which would make the binary executable.
chmod u+x "$multitool"

# --- the log to validate ---------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "${1:-}" = "--log" ]; then
  [ -f "${2:-}" ] || die "usage: $0 --log FILE.sarif"
  cp "$2" "$work/in.sarif"
  say "validating $2"
else
if [ -n "${GENAI_SCOPE_BIN:-}" ]; then
  bin=$GENAI_SCOPE_BIN
else
  say "building genai-scope (cargo build -p genai-scope --bin genai-scope)"
  (cd "$root" && cargo build --quiet -p genai-scope --bin genai-scope) || die "cargo build failed"
  bin=${CARGO_TARGET_DIR:-$root/target}/debug/genai-scope
fi
[ -x "$bin" ] || die "no genai-scope binary at $bin"

paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(examples)
# Relative paths, run from the repository root, as CI runs it: artifact URIs are then
# relative to the checkout (%SRCROOT%), as GitHub wants.
status=0
(cd "$root" && "$bin" check --format sarif --fail-on never "${paths[@]}") >"$work/in.sarif" ||
  status=$?
[ "$status" -eq 0 ] || die "genai-scope check exited with $status"
say "validating the SARIF of: genai-scope check --format sarif ${paths[*]} ($(wc -c <"$work/in.sarif") bytes)"
fi

status=0
"$multitool" validate --rule-kind "Sarif;Gh" --log ForceOverwrite -o "$work/out.sarif" \
  "$work/in.sarif" >"$work/multitool.log" 2>&1 || status=$?
if [ ! -f "$work/out.sarif" ]; then
  cat "$work/multitool.log" >&2
  die "Sarif.Multitool wrote no report (exit status $status)"
fi
# Its own one-line-per-finding listing (path(line,col): level RULE: message).
grep -E ': (error|warning|note) [A-Z]+[0-9]+: ' "$work/multitool.log" | sed 's/^/[sarif] /' || true

# --- the verdict -----------------------------------------------------------------------------
node - "$work/out.sarif" <<'EOF'
const fs = require('fs');
const log = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const counts = { error: 0, warning: 0, note: 0, none: 0 };
for (const run of log.runs || []) {
  for (const result of run.results || []) {
    const level = result.level || 'warning';
    counts[level] = (counts[level] || 0) + 1;
  }
}
console.log(
  `[sarif] Sarif.Multitool 5.7.0 (--rule-kind "Sarif;Gh"): ${counts.error} error(s), ` +
    `${counts.warning} warning(s), ${counts.note} note(s)`,
);
process.exit(counts.error > 0 ? 1 : 0);
EOF
