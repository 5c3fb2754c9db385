#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine: installs what the suites need (Chromium for the browser tests),
# starts a throwaway PostgreSQL cluster when JOBS_TEST_POSTGRES is not given, and ends with one line
# "N passed, N failed, N skipped" taken from the test results.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '[test.sh] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi
}

# Browser tests drive Debian's Chromium; Playwright cannot download its own browser here.
if [ -d tests/e2e ] && [ ! -x /usr/bin/chromium ]; then
  log "installing chromium"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi

PG_DIR=""
cleanup() {
  if [ -n "$PG_DIR" ]; then
    log "stopping the throwaway PostgreSQL cluster"
    run_pg "pg_ctl -D '$PG_DIR/data' -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT

run_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "PATH=$PG_BIN:\$PATH; $1"; else PATH="$PG_BIN:$PATH" sh -c "$1"; fi
}

if [ -z "${JOBS_TEST_POSTGRES:-}" ]; then
  PG_BIN=$(dirname "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
  PG_DIR=$(mktemp -d /tmp/jobs-pg.XXXXXX)
  PG_PORT=${JOBS_TEST_PG_PORT:-$((20000 + RANDOM % 20000))}
  chmod 755 "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  log "starting a throwaway PostgreSQL cluster on port $PG_PORT"
  run_pg "initdb -D '$PG_DIR/data' -U postgres --auth=trust -E UTF8 >/dev/null"
  run_pg "pg_ctl -D '$PG_DIR/data' -o \"-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on\" -l '$PG_DIR/data/pg.log' -w start >/dev/null"
  export JOBS_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  export JOBS_TEST_PG_DATA="$PG_DIR/data" JOBS_TEST_PG_BIN="$PG_BIN"
fi

RESULTS=$(mktemp -d /tmp/jobs-results.XXXXXX)
status=0
dotnet test Jobs.sln -c Release --logger "trx" --results-directory "$RESULTS" "$@" || status=$?

sum() { cat "$RESULTS"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed); failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) )); skipped=$(sum notExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # A build or runner failure is a failure, even with no test result.
rm -rf "$RESULTS"
cleanup
PG_DIR=""
log "finished in ${SECONDS}s"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
