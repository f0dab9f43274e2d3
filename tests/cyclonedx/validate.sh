#!/usr/bin/env bash
# Validates `genai-scope export --format cyclonedx` strictly against the CycloneDX 1.6 JSON
# schema (cyclonedx-python-lib's JsonStrictValidator): the BOM of every example on its own, of
# all of examples/ together, of the workspace with custom controls (examples/team-policy), of the
# agent examples (examples/agents), and
# the committed docs/examples.cdx.json. Exits 1 when one is invalid, 2 when something could not
# be run. Uses the binary in GENAI_SCOPE_BIN, else builds target/debug/genai-scope.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../ecosystem/python-tools.sh
source "$root/tests/ecosystem/python-tools.sh"

if [ -n "${GENAI_SCOPE_BIN:-}" ]; then
  bin=$GENAI_SCOPE_BIN
else
  (cd "$root" && cargo build --quiet -p genai-scope --bin genai-scope) || { echo "cargo build failed" >&2; exit 2; }
  bin=${CARGO_TARGET_DIR:-$root/target}/debug/genai-scope
fi
[ -x "$bin" ] || { echo "no genai-scope binary at $bin" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
boms=()
export_bom() { # NAME PATH...
  local name=$1
  shift
  local status=0
  (cd "$root" && "$bin" export --format cyclonedx --serial-number --output "$work/$name.cdx.json" "$@") || status=$?
  [ "$status" -eq 0 ] || { echo "genai-scope export $* exited with $status" >&2; exit 2; }
  boms+=("$work/$name.cdx.json")
}
for example in "$root"/examples/*.genai; do
  export_bom "$(basename "$example" .genai)" "examples/$(basename "$example")"
done
export_bom all-examples examples
export_bom team-policy examples/team-policy
export_bom agents examples/agents
boms+=("$root/docs/examples.cdx.json")
"$venv/bin/python" "$here/validate.py" "${boms[@]}"
