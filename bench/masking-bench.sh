#!/usr/bin/env bash
# How fast is secret masking? Builds the benchmarks and runs MaskingBenchmark: 20 credentials (each
# in all its masked forms) over 1 MiB of agent-like output, masked as one text, line by line (as a
# process's output streams are) and as bytes (as files are). One op is one MiB, so ops/s = MiB/s.
# Usage: bench/masking-bench.sh [SECRETS]. One fork, short iterations: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

secrets="${1:-20}"
result="bench/target/jmh-masking.json"

echo "== building bench/target/benchmarks.jar"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -pl bench -am package

echo "== JMH: masking 1 MiB with $secrets secrets"
java -jar bench/target/benchmarks.jar MaskingBenchmark -p secrets="$secrets" \
  -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff "$result"

echo
echo "== summary (MiB/s)"
python3 - "$result" <<'PY' 2>/dev/null || grep -o '"score" : [0-9.]*' "$result"
import json, sys
for b in json.load(open(sys.argv[1])):
    m = b["primaryMetric"]
    print(f'{b["benchmark"].rsplit(".", 1)[1]:>6}: {m["score"]:.1f} ± {m["scoreError"]:.1f} MiB/s')
PY
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) on $(nproc) CPUs"
