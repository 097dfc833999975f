#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600), one at a
# time (fuzzing is CPU-bound; run it on a quiet machine), continuing past
# crashes so one round finds as much as it can. The targets are built once,
# up front, and then run directly, so editing folio meanwhile does not
# trigger rebuilds. Findings land in fuzz/artifacts/<target>/, logs in
# fuzz/logs/<target>.log (both gitignored).
#
# Usage: fuzz/run-all.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config markdown manuscript epub linebreak pdf svg font)
export RUSTC_BOOTSTRAP=1
./fuzz/seed.sh >/dev/null
cargo fuzz build >/dev/null 2>&1 || { echo "cargo fuzz build failed" >&2; exit 1; }
bin=fuzz/target/x86_64-unknown-linux-gnu/release
mkdir -p fuzz/logs
for t in "${targets[@]}"; do
  mkdir -p "fuzz/artifacts/$t" "fuzz/corpus/$t"
  echo "$(date -u +%FT%TZ) $t: ${seconds}s"
  "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 "fuzz/corpus/$t" >"fuzz/logs/$t.log" 2>&1
  echo "$(date -u +%FT%TZ) $t: done, $(ls "fuzz/artifacts/$t" | wc -l) artifact(s); $(grep -E '^#[0-9]+:' "fuzz/logs/$t.log" | tail -1)"
done
