#!/usr/bin/env bash
# Is parsing linear in the length of one long value? Parses a workflow whose one `command` is
# 4, 8 and 16 MiB of letters on one line (LongValueParse), with
#   before  Jackson's YAML parser on SnakeYAML's own reader, as Orchestra read files before the
#           reader was replaced (each 1,024 characters read copy the whole token so far: quadratic)
#   after   Orchestra's WorkflowParser (LinearYaml: the text held whole, every peek O(1))
# each in a fresh JVM, stopping a "before" run after LIMIT seconds. Usage: bench/yaml-bench.sh
# [LIMIT=300]. Run it on a quiet machine: load inflates every figure.
set -euo pipefail
cd "$(dirname "$0")/.."

limit="${1:-300}"

echo "== building bench/target/benchmarks.jar"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -pl bench -am package

for mode in after before; do
  for mib in 4 8 16; do
    if ! timeout "$limit" java -Xmx2g -cp bench/target/benchmarks.jar \
      dev.orchestra.bench.LongValueParse "$mode" "$mib"; then
      echo "$mode $mib MiB > $limit s (stopped)"
    fi
  done
done
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
