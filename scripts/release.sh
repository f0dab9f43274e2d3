#!/usr/bin/env bash
# Builds the release artefacts into dist/ (or $RELEASE_DIR):
#   genai-scope-<version>-<target>       the binary, `dist` profile (fat LTO, symbols stripped)
#   genai-scope-<target>-<version>.vsix  the VS Code extension with that binary bundled
#   SHA256SUMS                           sha256sum of every artefact
# and prints the size of each. Targets: those in $RELEASE_TARGETS (Rust target triples), default
# the host's. Only x86_64-unknown-linux-gnu (linux-x64) is installed on the build machine here;
# another triple needs `rustup target add` and a linker for it. Fails when the binary exceeds
# 15 MB or a .vsix 6 MB.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${RELEASE_DIR:-$root/dist}
host=$(rustc -vV | sed -n 's/^host: //p')
read -r -a targets <<<"${RELEASE_TARGETS:-$host}"
version=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "genai-scope"))')
BINARY_BUDGET=$((15 * 1024 * 1024))
VSIX_BUDGET=$((6 * 1024 * 1024))

vsce_target() {
  case "$1" in
    x86_64-unknown-linux-gnu | x86_64-unknown-linux-musl) echo linux-x64 ;;
    aarch64-unknown-linux-gnu | aarch64-unknown-linux-musl) echo linux-arm64 ;;
    x86_64-apple-darwin) echo darwin-x64 ;;
    aarch64-apple-darwin) echo darwin-arm64 ;;
    x86_64-pc-windows-msvc | x86_64-pc-windows-gnu) echo win32-x64 ;;
    *) return 1 ;;
  esac
}

mkdir -p "$out"
status=0
artefacts=()
for target in "${targets[@]}"; do
  platform=$(vsce_target "$target") || { echo "release: no VS Code platform for $target" >&2; exit 2; }
  echo "[release] cargo build --profile dist --target $target"
  suffix=""
  case "$target" in *windows*) suffix=.exe ;; esac
  # The host's build goes to target/dist (shared with `cargo build --profile dist`), others to
  # target/TRIPLE/dist.
  if [ "$target" = "$host" ]; then
    cargo build --quiet --locked --profile dist -p genai-scope --bin genai-scope
    built=${CARGO_TARGET_DIR:-$root/target}/dist/genai-scope$suffix
  else
    cargo build --quiet --locked --profile dist --target "$target" -p genai-scope --bin genai-scope
    built=${CARGO_TARGET_DIR:-$root/target}/$target/dist/genai-scope$suffix
  fi
  binary=$out/genai-scope-$version-$target$suffix
  cp "$built" "$binary"
  artefacts+=("$binary")
  size=$(stat -c %s "$binary")
  echo "[release] $(basename "$binary"): $size bytes ($((size / 1024)) KiB)"
  [ "$size" -le "$BINARY_BUDGET" ] || { echo "[release] binary over 15 MB" >&2; status=1; }

  vsix=$out/genai-scope-$platform-$version.vsix
  VSCE_TARGET=$platform VSIX_OUT=$vsix bash editors/vscode/scripts/package.sh "$binary"
  rm -rf editors/vscode/server
  artefacts+=("$vsix")
  size=$(stat -c %s "$vsix")
  echo "[release] $(basename "$vsix"): $size bytes ($((size / 1024)) KiB)"
  [ "$size" -le "$VSIX_BUDGET" ] || { echo "[release] .vsix over 6 MB" >&2; status=1; }
done
(cd "$out" && for artefact in "${artefacts[@]}"; do basename "$artefact"; done | xargs sha256sum >SHA256SUMS)
echo "[release] $out/SHA256SUMS:"
sed 's/^/[release]   /' "$out/SHA256SUMS"
exit "$status"
