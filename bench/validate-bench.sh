#!/usr/bin/env bash
# How long does reading a large workflow take? Builds the benchmarks, generates a workflow of
# N nodes (default 10,000) with about 3N edges, then reports
#   1. JMH: parse + validate (and parse alone) in a warm JVM, average ms per file, and the
#      same work's CPU time (ParseValidateCpuTime), which load from other processes distorts less;
#   2. end to end: `bin/orchestra validate FILE`, JVM start-up included, wall-clock seconds.
# Usage: bench/validate-bench.sh [N]. Uses one fork and short iterations: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-10000}"
file="bench/target/workflow-$n.yaml"
result="bench/target/jmh-parse-validate.json"

echo "== building bench/target/benchmarks.jar"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -pl bench -am package

echo "== generating $file"
java -cp bench/target/benchmarks.jar dev.orchestra.bench.WorkflowGenerator "$n" "$file"

echo "== JMH: parse + validate, warm JVM"
java -jar bench/target/benchmarks.jar ParseValidateBenchmark -p nodes="$n" \
  -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff "$result"

echo "== CPU time of parse + validate, warm JVM (steadier than wall clock on a shared machine)"
cpu="$(java -cp bench/target/benchmarks.jar dev.orchestra.bench.ParseValidateCpuTime "$n" 10)"
echo "$cpu"

echo "== end to end: bin/orchestra validate $file (JVM start included)"
bin/orchestra --version >/dev/null # builds the jar and its CDS archive outside the timing
# Wall clock and CPU (user + system): on a shared machine the CPU figure is the steadier one.
TIMEFORMAT='%R s wall / %U+%S s cpu'
runs=()
for _ in 1 2 3; do
  t="$( { time bin/orchestra validate "$file" >/dev/null; } 2>&1 )"
  runs+=("$t")
done

echo
echo "== summary ($n nodes, $(grep -c 'needs:' "$file") nodes with needs)"
python3 - "$result" <<'PY' 2>/dev/null || grep -o '"score" : [0-9.]*' "$result"
import json, sys
for b in json.load(open(sys.argv[1])):
    m = b["primaryMetric"]
    print(f'{b["benchmark"].rsplit(".", 1)[1]:>17}: {m["score"]:.1f} ± {m["scoreError"]:.1f} {m["scoreUnit"]}')
PY
echo "$cpu"
echo "bin/orchestra validate, 3 runs:"
printf '  %s\n' "${runs[@]}"
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) on $(nproc) CPUs"
