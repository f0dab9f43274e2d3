#!/usr/bin/env bash
# Builds the extension and packages it as a .vsix.
#
#   scripts/package.sh [SERVER_BINARY]
#
# With a server binary (argument, else $GENAI_SCOPE_BIN, else target/release/genai-scope of the
# repository when it exists), the binary is copied to server/genai-scope and the package is the
# per-platform build for this machine (vsce --target linux-x64, ...). Without one, a universal
# .vsix that finds the server through genaiScope.server.path or PATH.
#
# Environment: VSIX_OUT=path/to/out.vsix (default: genai-scope-<target>-<version>.vsix here);
# VSCE_TARGET to override the detected target.
set -euo pipefail

ext=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$ext/../.." && pwd)
cd "$ext"

bin=${1:-${GENAI_SCOPE_BIN:-}}
if [ -z "$bin" ] && [ -x "$root/target/release/genai-scope" ]; then
  bin=$root/target/release/genai-scope
fi

[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error

npx --no-install tsc -p . --noEmit
node esbuild.mjs --production

version=$(node -p 'require("./package.json").version')
rm -rf server
if [ -n "$bin" ]; then
  [ -x "$bin" ] || { echo "package.sh: $bin is not an executable file" >&2; exit 1; }
  if [ -z "${VSCE_TARGET:-}" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) VSCE_TARGET=linux-x64 ;;
      Linux-aarch64) VSCE_TARGET=linux-arm64 ;;
      Darwin-x86_64) VSCE_TARGET=darwin-x64 ;;
      Darwin-arm64) VSCE_TARGET=darwin-arm64 ;;
      *) echo "package.sh: unknown platform $(uname -s)-$(uname -m); set VSCE_TARGET" >&2; exit 1 ;;
    esac
  fi
  mkdir -p server
  cp "$bin" server/genai-scope
  chmod 755 server/genai-scope
  # Debug information is most of a debug build's size (47 MB against 8): never bundle it.
  if command -v strip >/dev/null 2>&1; then
    strip server/genai-scope
  else
    echo "package.sh: strip not found; bundling $bin as it is" >&2
  fi
  out=${VSIX_OUT:-$ext/genai-scope-$VSCE_TARGET-$version.vsix}
  echo "package.sh: bundling $bin as server/genai-scope for $VSCE_TARGET"
  npx --no-install vsce package --no-dependencies --target "$VSCE_TARGET" -o "$out"
else
  out=${VSIX_OUT:-$ext/genai-scope-$version.vsix}
  echo "package.sh: no server binary given: universal package (server from settings or PATH)"
  npx --no-install vsce package --no-dependencies -o "$out"
fi
echo "package.sh: wrote $out"
