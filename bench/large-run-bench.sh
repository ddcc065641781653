#!/usr/bin/env bash
# A large run and many runs: what Orchestra costs at 10,000 nodes and with 1,000 recorded runs.
#
# 1. Runs the DAG of bench/ninja-dag.py with N nodes (fixed seed, `true && touch out/nI` per node)
#    at concurrency P, recorded as usual, and prints its wall time, peak RSS and record size.
# 2. Times `orchestra runs show RUN` and `orchestra report RUN --junit FILE` on that run, R times
#    each, and prints the median wall time, its range, the median CPU time and the largest peak RSS.
# 3. Records one small run (10 nodes), copies its records as RUNS runs under fresh ids, and times
#    `orchestra runs` listing them R times the same way; then again without their summary.json
#    (as records of earlier versions are), checking that the listing is the same.
# Every figure includes JVM start; `uptime` before and after says how busy the machine was.
#
# Usage: bench/large-run-bench.sh [N=10000] [P=4] [RUNS=1000] [R=5]; ORCHESTRA_BIN=CMD times another
# build the same way (e.g. an earlier cli/target/orchestra.jar behind a script, for before/after).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
p="${2:-4}"
many="${3:-1000}"
repeat="${4:-5}"
work="$root/bench/target/large-run-bench"
orchestra="${ORCHESTRA_BIN:-$root/bin/orchestra}" # another build to compare with
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

"$orchestra" --version >/dev/null
rm -rf "$work"
mkdir -p "$work/big/out" "$work/small/out"
echo "== load: $(uptime)"
echo "== generating: $(python3 "$root/bench/ninja-dag.py" "$n" 42 "$work/big")"

timed() { # label command...: prints wall seconds and peak RSS of one command
  local label="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/$label.out" 2>&1 \
    || { tail -20 "$work/$label.out" >&2; exit 1; }
  read -r wall rss <"$work/time.txt"
  printf '%-28s %8.2f s  peak RSS %4d MiB\n' "$label" "$wall" "$((rss / 1024))"
}

repeated() { # label command...: runs one command R times; prints median wall and CPU, range, RSS
  local label="$1"
  shift
  : >"$work/times.txt"
  for ((r = 0; r < repeat; r++)); do
    /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/$label.out" 2>&1 \
      || { tail -20 "$work/$label.out" >&2; exit 1; }
    cat "$work/time.txt" >>"$work/times.txt"
  done
  # CPU time (user + system, all threads) varies less with the machine's load than wall time.
  local walls cpus rss m=$(((repeat - 1) / 2))
  read -r -a walls <<<"$(cut -d' ' -f1 "$work/times.txt" | sort -n | tr '\n' ' ')"
  read -r -a cpus <<<"$(awk '{ print $3 + $4 }' "$work/times.txt" | sort -n | tr '\n' ' ')"
  rss=$(cut -d' ' -f2 "$work/times.txt" | sort -n | tail -n 1)
  printf '%-28s %8.2f s  median of %d (%.2f-%.2f s), CPU %.2f s, peak RSS %4d MiB\n' "$label" \
    "${walls[m]}" "$repeat" "${walls[0]}" "${walls[-1]}" "${cpus[m]}" "$((rss / 1024))"
}

cd "$work/big"
timed "run ($n nodes, P=$p)" "$orchestra" run workflow.yaml --concurrency "$p" --no-live \
  --runs-dir runs
count=$(find out -type f | wc -l)
[[ $count -eq $n ]] || { echo "the run made $count of $n outputs" >&2; exit 1; }
run_id=$(basename "$(ls -d runs/*/)")
printf '%-28s %s, %d files, %d events\n' "records" "$(du -sh "runs/$run_id" | cut -f1)" \
  "$(find "runs/$run_id" -type f | wc -l)" "$(wc -l <"runs/$run_id/events.jsonl")"
repeated "runs show" "$orchestra" runs show "$run_id" --runs-dir runs
repeated "report --junit" "$orchestra" report "$run_id" --runs-dir runs --junit "$work/junit.xml"

cd "$work/small"
python3 "$root/bench/ninja-dag.py" 10 42 . >/dev/null
"$orchestra" run workflow.yaml --no-live --runs-dir runs >/dev/null
small=$(basename "$(ls -d runs/*/)")
for ((i = 0; i < many; i++)); do
  id=$(printf '20200101-%06d-%04x' "$((i / 60 * 100 + i % 60))" "$i")
  cp -r "runs/$small" "runs/$id"
  grep -rl "$small" "runs/$id" | xargs sed -i "s/$small/$id/g"
done
repeated "runs ($((many + 1)) recorded)" "$orchestra" runs --runs-dir runs
listed=$(grep -c '^20' "$work/runs ($((many + 1)) recorded).out" || true)
# Records of earlier versions have no summary.json: the listing reads run.json and result.json.
find runs -name summary.json -delete
repeated "runs (no summary.json)" "$orchestra" runs --runs-dir runs
cmp -s "$work/runs ($((many + 1)) recorded).out" "$work/runs (no summary.json).out" \
  || { echo "the listing differs without summary.json" >&2; exit 1; }
echo "== listed $listed runs; load: $(uptime)"
