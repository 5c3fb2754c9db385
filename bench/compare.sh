#!/usr/bin/env bash
# Runs the reduced benchmark for two commits back to back, alternating old, new, old, new, on both providers, so that
# the pairs can be compared with each run's own raw-SQL ceiling (docs/benchmarks.md). Usage:
#   bench/compare.sh <old-commit> <new-commit> <postgres-connection-string> [out-dir]
set -euo pipefail
old=$1 new=$2 pg=$3 out=${4:-/tmp/jobs-bench-compare}
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
for v in old new; do
  dir="$out/src-$v"
  [ -d "$dir" ] || git -C "$repo" worktree add -q --detach "$dir" "${!v}"
  dotnet build "$dir/bench/Jobs.Benchmarks" -c Release -v q
done
for round in 1 2; do
  for v in old new; do
    run() { dotnet run -c Release --no-build --project "$out/src-$v/bench/Jobs.Benchmarks" -- "$@"; }
    run --provider postgres --connection "$pg" --jobs 20000 --workers 4,16 --processes 1 \
      --scenarios ceiling,enqueue,drain,pickup --pickup-samples 300 --json "$out/pg-$v-$round.json" > "$out/pg-$v-$round.log" 2>&1
    run --provider sqlite --jobs 20000 --workers 4,16 --processes 1 \
      --scenarios ceiling,enqueue,drain --json "$out/sqlite-$v-$round.json" > "$out/sqlite-$v-$round.log" 2>&1
  done
done
echo "results in $out"
