#!/usr/bin/env bash
# How long does `orchestra report` take for a big run? Records one run of an N-node workflow of
# `command` nodes (a random DAG from a fixed seed, each node needing 1-3 of the 15 nodes before it;
# one node fails its check once then passes, one fails for good so that its dependants are
# skipped), then times R times each, as a CI step would run them (a fresh JVM each time):
#   baseline  `orchestra runs show RUN` (JVM start, reading the run's records)
#   report    `orchestra report RUN --html DIR --junit FILE --summary`
# and prints the medians, their difference (what writing the reports adds) and the page's size;
# then the same report R times inside one JVM (bench/ReportTime.java): the first call, with classes
# loading, and the median of the rest, which is the report's own work.
# Usage: bench/report-bench.sh [N] [R]  (defaults 100 and 5). Needs python3 (to write the DAG).
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-100}"
repeat="${2:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin/orchestra --version >/dev/null # builds the jar outside the timing
jar="$PWD/cli/target/orchestra.jar"

python3 - "$n" "$work" >"$work/flow.yaml" <<'PY'
import random, sys
n, work = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(7)
flaky, broken = n // 5, n // 3
print("version: 1\nname: report-bench\ndefaults: {agent: command, attempts: 2, backoff: {delay: 10ms}}")
print("limits: {concurrency: 4}\nnodes:")
for i in range(n):
    needs = sorted({rnd.randrange(max(0, i - 15), i) for _ in range(rnd.randint(1, 3))}) if i else []
    print(f"  n{i}:")
    if needs:
        print("    needs: [" + ", ".join(f"n{j}" for j in needs) + "]")
    print(f"    command: echo node {i}")
    if i == flaky:
        print(f"    checks:\n      - run: test -f {work}/once || {{ touch {work}/once; echo flaky; exit 1; }}")
    if i == broken:
        print("    checks:\n      - run: echo 'expected 42 but was 41'; exit 1")
PY

java -jar "$jar" run "$work/flow.yaml" --runs-dir "$work/runs" --no-live >"$work/run.out" 2>&1 || true
run_id="$(ls "$work/runs" | head -n 1)"
[[ -n $run_id ]] || { cat "$work/run.out"; echo "report-bench: the run left no record" >&2; exit 1; }

for what in baseline report; do
  : >"$work/$what.txt"
  for _ in $(seq 1 "$repeat"); do
    if [[ $what == baseline ]]; then
      cmd=(java -jar "$jar" runs show "$run_id" --runs-dir "$work/runs")
    else
      cmd=(java -jar "$jar" report "$run_id" --runs-dir "$work/runs" --html "$work/html"
        --junit "$work/junit.xml" --summary)
    fi
    /usr/bin/time -f '%e' -o "$work/time" "${cmd[@]}" >"$work/out" 2>&1 \
      || { cat "$work/out"; echo "report-bench: '${cmd[*]}' failed" >&2; exit 1; }
    cat "$work/time" >>"$work/$what.txt"
  done
done

echo "run: $(tail -n 1 "$work/out")"
python3 - "$work" "$n" <<'PY'
import os, statistics, sys
work, n = sys.argv[1], sys.argv[2]
median = {w: statistics.median(float(l) for l in open(f"{work}/{w}.txt") if l.strip()) for w in ("baseline", "report")}
print(f"{n} nodes: runs show {median['baseline']:.2f} s, report --html --junit --summary {median['report']:.2f} s"
      f" (median wall, fresh JVM each): the reports add {median['report'] - median['baseline']:.2f} s")
print(f"index.html {os.path.getsize(f'{work}/html/index.html') / 1024:.0f} KiB, "
      f"junit.xml {os.path.getsize(f'{work}/junit.xml') / 1024:.0f} KiB")
PY
java -cp "$jar" bench/ReportTime.java "$((repeat < 20 ? 20 : repeat))" report "$run_id" --runs-dir "$work/runs" \
  --html "$work/html" --junit "$work/junit.xml" --summary
