#!/usr/bin/env bash
# Builds and runs every fuzz target for SECONDS each (default 60) and prints how many inputs
# each one ran. Exits non-zero when a target crashes (its input is kept under
# fuzz/artifacts/<target>/; reproduce with `cargo fuzz run <target> <file>`).
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`), installed here when missing. It uses
# nightly-only compiler flags; on a stable toolchain RUSTC_BOOTSTRAP=1 allows them.
set -euo pipefail

cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(parse_analyze format fixes positions ide config iac_readers)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
python3 seeds.py

# -detect_leaks=0: tree-sitter's parser keeps buffers from one parse to the next, so every run
# looks like a possible leak and LeakSanitizer's scan would take three quarters of the time.
# The largest input each target gets: the analysis targets run many analyses per input.
max_len() {
    case "$1" in
    fixes | ide) echo 4096 ;;
    positions) echo 2048 ;;
    *) echo 16384 ;;
    esac
}

# One build for all targets, then the binaries run as built (other edits to the sources
# while the fuzzers run do not rebuild them).
cargo fuzz build --release --debug-assertions
bin="target/$(rustc -vV | sed -n 's/^host: //p')/release"

mkdir -p logs
failed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    log="logs/$target.log"
    status=0
    "$bin/$target" "corpus/$target" seeds \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" -dict=genai.dict \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -detect_leaks=0 \
        -artifact_prefix="artifacts/$target/" >"$log" 2>&1 || status=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1 || true)"
    done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)"
    if [ "$status" -eq 0 ]; then
        echo "$target: ${runs:-?} executions in ${seconds} s; ${done_line:-}"
    else
        failed=1
        echo "$target: CRASHED (exit $status) after ${runs:-?} executions; log: fuzz/$log" >&2
        grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -n 8 >&2 || true
    fi
done
exit "$failed"
