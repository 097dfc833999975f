#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures and the sample book, so
# fuzzing starts from real book.toml files and chapters. Idempotent; the
# corpora are gitignored.
set -euo pipefail
cd "$(dirname "$0")/.."
seed() { # target, files...
  local dir="fuzz/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/seed-$(echo "$f" | tr '/' '_')"
  done
}
mapfile -t tomls < <(find tests/fixtures manuscript -name book.toml -o -name '*.toml' -path '*styles*' | sort)
mapfile -t chapters < <(find tests/fixtures manuscript -name '*.md' | sort)
seed config "${tomls[@]}"
for target in markdown manuscript epub pdf; do
  seed "$target" "${chapters[@]}"
done
seed linebreak fuzz/seeds/linebreak/*
for regression in fuzz/seeds/*/; do
  target=$(basename "$regression")
  [ "$target" = linebreak ] && continue
  seed "$target" "$regression"*
done
echo "seeded: $(ls fuzz/corpus | tr '\n' ' ')"
