#!/usr/bin/env bash
# What does folding a run's events into its state cost (core's RunProjector, on the live view's
# path: it folds every event)? Builds the benchmarks and reports JMH figures for 100,000 events over
# 100 and 1,000 nodes: folding them all into one state, and folding them as the live view does
# (a state after every status change). Usage: bench/state-bench.sh [EVENTS]. One fork, short
# iterations: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

events="${1:-100000}"
result="bench/target/jmh-run-projection.json"

echo "== building bench/target/benchmarks.jar"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -pl bench -am package

echo "== JMH: fold $events events"
java -jar bench/target/benchmarks.jar RunProjectionBenchmark -p events="$events" \
  -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff "$result"

echo
echo "== summary ($events events)"
python3 - "$result" "$events" <<'PY' 2>/dev/null || grep -o '"score" : [0-9.]*' "$result"
import json, sys
events = int(sys.argv[2])
for b in json.load(open(sys.argv[1])):
    m = b["primaryMetric"]
    name = b["benchmark"].rsplit(".", 1)[1]
    ns = m["score"] * 1e6 / events
    print(f'{name:>17} nodes={b["params"]["nodes"]:>5}: {m["score"]:.1f} ± {m["scoreError"]:.1f} {m["scoreUnit"]} ({ns:.0f} ns/event)')
PY
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) on $(nproc) CPUs"
