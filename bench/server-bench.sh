#!/usr/bin/env bash
# The server under load: starts `orchestra serve` (SQLite under a fresh ORCHESTRA_HOME) on a
# free port, attaches C clients to the server-wide event stream (GET /api/v1/events), then submits
# N runs of a one-node command workflow from S threads (POST /api/v1/runs), waits for every run to
# finish and for every client to have seen it, and prints
#   submitted/s   N over the wall time from the first submission to the last 202 (a 503 busy
#                 with Retry-After is submitted again after it; their number is printed), and
#                 runs/s: N over the time until every client saw every run finish
#   p50/p95/max   event latency: a client's receipt of an event minus the event's `time` (stamped
#                 by the engine just before it is appended to the records), over all clients
#   lost, dup     per client, events of the records (the stream's types, read from orchestra.db) it
#                 never got, and events it got twice; both must be 0
#   rss           the server JVM's peak resident memory (VmHWM)
#   cpu           the server JVM's CPU time so far, user and system (steadier than the rates on a
#                 loaded machine)
#   by type/stage per event type, p50/p95 of the whole latency and of where it accrues, from the
#                 server's event timings (-Dorchestra.eventTimings, see EventTimings): append →
#                 commit (the store's append returned), commit → fan-out (in the hub, readable by
#                 the streams: the JSON, on the committing thread), fan-out → socket (the write and
#                 flush to the client returned: its writer's wake-up and round, the write) and
#                 socket → client (the client's receipt; each event's writes and receipts are
#                 paired in time order, as no write names its client)
# The clients and submitters are bench/server-bench.mjs: one Node event loop, which notes each
# receipt as its bytes arrive.
# Usage: bench/server-bench.sh [N] [C] [S]  (defaults 1000 100 8); BENCH_RATE=R offers R submissions
# a second in all (an open loop: each at its slot), instead of as fast as they are answered (the
# default, which keeps the machine saturated); BENCH_WARMUP=W first submits W runs (as fast as
# answered) and waits until every client saw them, then forgets their events and measures the N
# runs: the figures of a server whose JIT compilers have compiled its busy code (a fresh JVM spends
# about a quarter of the benchmark's CPU compiling, see docs/benchmarks.md), and "server cpu" also
# prints the measured runs' share; SERVE_OPTS adds options of
# `orchestra serve` (e.g. "--max-running 16", "--db jdbc:postgresql://..."); SERVER_JAVA_OPTS sets the
# server JVM's options (default -Xmx384m: without a bound the JVM takes a quarter of the machine's
# memory and RSS grows with it). On PostgreSQL, BENCH_PSQL is a psql command line that reaches
# the database (for the lost and duplicated count), and the database should be empty. Needs
# Node 18+ and the sqlite3 shell. BENCH_JAR runs another build's jar (e.g. a copy of an older
# one, to alternate before and after). BENCH_DB=postgres starts a throwaway PostgreSQL cluster instead (initdb and pg_ctl of
# the newest /usr/lib/postgresql/*/bin, `fsync` on; as root, run as the postgres user) and sets
# SERVE_OPTS' --db and BENCH_PSQL for it. Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-1000}"
clients="${2:-100}"
submitters="${3:-8}"
work="$(mktemp -d)"
pg=""
cleanup() {
  kill "$(cat "$work/pid" 2>/dev/null)" 2>/dev/null || true
  if [[ -n $pg ]]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n ${BENCH_JAR:-} ]]; then
  jar="$BENCH_JAR"
else
  bin/orchestra --version >/dev/null # builds the jar outside the timing
  jar="$PWD/cli/target/orchestra.jar"
fi

if [[ ${BENCH_DB:-sqlite} == postgres ]]; then
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  pg="$(mktemp -d)"
  as_pg=()
  if [[ $(id -u) == 0 ]]; then
    chown postgres "$pg"
    as_pg=(runuser -u postgres --)
  fi
  password="pw-$RANDOM$RANDOM"
  echo "$password" >"$pg/pwfile"
  "${as_pg[@]}" "$pgbin/initdb" -D "$pg/data" -U orchestra --auth=scram-sha-256 \
    --pwfile="$pg/pwfile" -E UTF8 --locale=C.UTF-8 >"$pg/initdb.log"
  pgport="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1",
    () => { console.log(s.address().port); s.close(); })')"
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 90 \
    -o "-p $pgport -c listen_addresses=127.0.0.1 -k $pg" start >/dev/null
  export ORCHESTRA_DB_PASSWORD="$password"
  export SERVE_OPTS="${SERVE_OPTS:-} --db jdbc:postgresql://127.0.0.1:$pgport/postgres?user=orchestra"
  export BENCH_PSQL="PGPASSWORD=$password $pgbin/psql -h 127.0.0.1 -p $pgport -U orchestra postgres"
fi

export SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx384m} -Dorchestra.eventTimings=$work/timings.tsv"
node bench/server-bench.mjs "$jar" "$work" "$runs" "$clients" "$submitters"
