#!/usr/bin/env bash
# Orchestra against ninja on the same random DAG of trivial commands.
#
# Generates a DAG of N nodes (fixed seed, 2-3 edges per node to earlier nodes) as a workflow and
# as a build.ninja (bench/ninja-dag.py), where every node runs `true && touch out/nI` through
# /bin/sh in both tools. Runs each at the same parallelism P (ninja -j P, orchestra --concurrency
# P) R times from a clean state and prints the wall times, the ratio Orchestra/ninja (of the
# medians) and the peak RSS of the Orchestra JVM. Orchestra records every event of every run in
# its normal run records (events.jsonl, per-attempt files, result.json).
#
# Usage: bench/ninja-bench.sh [N=1000] [P=2] [R=3]
# Environment: ORCHESTRA_JAVA_OPTS is passed on to the JVM (bin/orchestra reads it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
p="${2:-2}"
reps="${3:-3}"
seed=42
work="$root/bench/target/ninja-bench-$n"

need() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "== installing $2" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y "$2" >/dev/null; else sudo apt-get install -y "$2" >/dev/null; fi
}
need ninja ninja-build
[[ -x /usr/bin/time ]] || need /usr/bin/time time

echo "== building the orchestra jar (outside the timings)"
"$root/bin/orchestra" --version >/dev/null

rm -rf "$work"
mkdir -p "$work"
echo "== generating the DAG: $(python3 "$root/bench/ninja-dag.py" "$n" "$seed" "$work")"
"$root/bin/orchestra" validate "$work/workflow.yaml" >/dev/null

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

ninja_times=()
orch_times=()
rss=()
cd "$work"
for ((i = 1; i <= reps; i++)); do
  rm -rf out .ninja_log .ninja_deps
  t0=$(now)
  ninja -j "$p" >/dev/null
  t1=$(now)
  count=$(find out -type f | wc -l)
  [[ $count -eq $n ]] || { echo "ninja made $count of $n outputs" >&2; exit 1; }
  ninja_times+=("$(echo "$t1 - $t0" | bc -l)")

  rm -rf out runs && mkdir out
  t0=$(now)
  /usr/bin/time -v -o time.txt "$root/bin/orchestra" run workflow.yaml --concurrency "$p" \
    --no-live --runs-dir runs >orchestra.log 2>&1 || { tail -20 orchestra.log >&2; exit 1; }
  t1=$(now)
  count=$(find out -type f | wc -l)
  [[ $count -eq $n ]] || { echo "orchestra made $count of $n outputs" >&2; exit 1; }
  events=$(wc -l <runs/*/events.jsonl)
  orch_times+=("$(echo "$t1 - $t0" | bc -l)")
  rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' time.txt)")
  printf 'rep %d: ninja %.3f s, orchestra %.3f s (%d events recorded), orchestra peak RSS %d MiB\n' \
    "$i" "${ninja_times[-1]}" "${orch_times[-1]}" "$events" "$((rss[-1] / 1024))"
done

nm=$(median "${ninja_times[@]}")
om=$(median "${orch_times[@]}")
printf '\n== %d nodes, parallelism %d, %d repetitions (median)\n' "$n" "$p" "$reps"
printf 'ninja:     %.3f s\n' "$nm"
printf 'orchestra: %.3f s\n' "$om"
printf 'ratio orchestra/ninja: %.2fx\n' "$(echo "$om / $nm" | bc -l)"
printf 'orchestra peak RSS: %d MiB (max of runs)\n' "$(($(printf '%s\n' "${rss[@]}" | sort -n | tail -1) / 1024))"
