# Sourced by tests/cyclonedx/validate.sh and tests/ecosystem/validate.sh: makes sure the Python
# tools they use are installed, pinned, in one venv (.tools/ecosystem-venv, git-ignored; override
# the tools folder with GENAI_SCOPE_TOOLS), and sets $venv. Installs from PyPI on first use only.
ECOSYSTEM_PYTHON_PACKAGES=(
  "cyclonedx-python-lib[json-validation]==11.12.0"
  "check-jsonschema==0.39.0"
  "pre-commit==4.7.0"
)
ecosystem_tools_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv=${GENAI_SCOPE_TOOLS:-$ecosystem_tools_root/.tools}/ecosystem-venv
ecosystem_stamp=$venv/.genai-scope-packages
if [ -x "$venv/bin/python" ] && [ -f "$ecosystem_stamp" ] &&
  [ "$(cat "$ecosystem_stamp")" = "${ECOSYSTEM_PYTHON_PACKAGES[*]}" ]; then
  :
else
  command -v python3 >/dev/null 2>&1 || { echo "python3 is needed for $venv" >&2; exit 2; }
  echo "[tools] installing ${ECOSYSTEM_PYTHON_PACKAGES[*]} into $venv"
  python3 -m venv "$venv" || { echo "python3 -m venv failed" >&2; exit 2; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${ECOSYSTEM_PYTHON_PACKAGES[@]}" ||
    { echo "pip install failed" >&2; exit 2; }
  printf '%s' "${ECOSYSTEM_PYTHON_PACKAGES[*]}" >"$ecosystem_stamp"
fi
