#!/usr/bin/env bash
# What does the SQL run store cost? Builds the benchmarks, then StoreBench measures on SQLite
# (WAL, synchronous=NORMAL) and on a throwaway PostgreSQL cluster (the server's default, durable
# settings: fsync on), each with one transaction per event as a run records them:
#   append, 1 run    N events appended by one thread (one run), events/s
#   append, 4 runs   four threads, a run each, N/4 events each, events/s together
#   read after seq   events(run, N - 100): an SSE client reconnecting near the end; median and p95
#   read all         all N events of the run once
# Usage: bench/store-bench.sh [N] (default 5000). Needs PostgreSQL's binaries (bin/test installs
# them: need_postgres); as root, the cluster runs as the postgres user. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-5000}"

echo "== building bench/target/benchmarks.jar"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -pl bench -am package

echo "== StoreBench, $n events"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar dev.orchestra.bench.StoreBench "$n"
