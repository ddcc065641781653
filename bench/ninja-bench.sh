#!/usr/bin/env bash
# Orchestra against ninja on the same random DAG of trivial commands.
#
# Generates a DAG of N nodes (fixed seed, 2-3 edges per node to earlier nodes) as a workflow and
# as a build.ninja (bench/ninja-dag.py), where every node runs `true && touch out/nI` through
# /bin/sh in both tools. Runs each at the same parallelism P (ninja -j P, orchestra --concurrency
# P) R times from a clean state, alternating the two, and prints the wall times, the CPU time
# (user + system of the tool and every process it started), the ratio Orchestra/ninja (of the
# medians) and the peak RSS of the Orchestra JVM. Orchestra records every event of every run in
# its normal run records (events.jsonl, attempts.jsonl, result.json).
#
# Two cases, both reported: "fresh", a runs directory that was just created, and "aged", a runs
# directory where 20 earlier runs of the same workflow were recorded and then deleted (issue 15:
# creating files is slower on a file system where many were recently deleted, as in any user's
# .orchestra after a few runs). BENCH_CASES=fresh (or aged) runs one of them only.
#
# Usage: bench/ninja-bench.sh [N=1000] [P=2] [R=3]
# Environment: ORCHESTRA_JAVA_OPTS is passed on to the JVM (bin/orchestra reads it);
# ORCHESTRA_BIN is the launcher to measure (default bin/orchestra), e.g. a script that starts
# another build's jar; BENCH_CASES as above.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
p="${2:-2}"
reps="${3:-3}"
seed=42
aged_runs=20
orchestra="${ORCHESTRA_BIN:-$root/bin/orchestra}"
cases="${BENCH_CASES:-fresh aged}"
work="$root/bench/target/ninja-bench-$n"

need() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "== installing $2" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y "$2" >/dev/null; else sudo apt-get install -y "$2" >/dev/null; fi
}
need ninja ninja-build
[[ -x /usr/bin/time ]] || need /usr/bin/time time

echo "== building the orchestra jar (outside the timings)"
"$orchestra" --version >/dev/null

rm -rf "$work"
mkdir -p "$work"
echo "== generating the DAG: $(python3 "$root/bench/ninja-dag.py" "$n" "$seed" "$work")"
"$orchestra" validate "$work/workflow.yaml" >/dev/null
cd "$work"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%.2f-%.2f", lo, hi}'; }
# timed OUT CMD...: runs CMD under /usr/bin/time; OUT gets "wall cpu rss_kib".
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o time.txt "$@"
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' time.txt >"$out"
}

run_ninja() {
  rm -rf out .ninja_log .ninja_deps
  timed ninja.txt ninja -j "$p" >/dev/null
  local count
  count=$(find out -type f | wc -l)
  [[ $count -eq $n ]] || { echo "ninja made $count of $n outputs" >&2; exit 1; }
}

run_orchestra() { # RUNS_DIR
  rm -rf out && mkdir out
  timed orchestra.txt "$orchestra" run workflow.yaml --concurrency "$p" --no-live --runs-dir "$1" \
    >orchestra.log 2>&1 || { tail -20 orchestra.log >&2; exit 1; }
  local count
  count=$(find out -type f | wc -l)
  [[ $count -eq $n ]] || { echo "orchestra made $count of $n outputs" >&2; exit 1; }
}

summary=()
for case in $cases; do
  runs="runs-$case"
  rm -rf "$runs"
  if [[ $case == aged ]]; then
    echo "== $case: recording $aged_runs runs in $runs, then deleting them"
    for ((i = 1; i <= aged_runs; i++)); do run_orchestra "$runs"; done
    rm -rf "${runs:?}"/*
  fi
  echo "== $case: $reps repetitions, load: $(uptime | sed 's/.*load average: //')"
  nw=() nc=() ow=() oc=() rss=()
  for ((i = 1; i <= reps; i++)); do
    run_ninja
    read -r w c _ <ninja.txt
    nw+=("$w") nc+=("$c")
    run_orchestra "$runs"
    events=$(cat "$runs"/*/events.jsonl | wc -l)
    rm -rf "${runs:?}"/*
    read -r w c r <orchestra.txt
    ow+=("$w") oc+=("$c") rss+=("$r")
    printf 'rep %d: ninja %.2f s (%.2f s CPU), orchestra %.2f s (%.2f s CPU, %d events recorded, peak RSS %d MiB)\n' \
      "$i" "${nw[-1]}" "${nc[-1]}" "${ow[-1]}" "${oc[-1]}" "$events" "$((rss[-1] / 1024))"
  done
  nm=$(median "${nw[@]}") om=$(median "${ow[@]}")
  summary+=("$(printf '%-6s ninja %.2f s (%s), orchestra %.2f s (%s), ratio %.2fx; CPU ninja %.2f s, orchestra %.2f s (%s); peak RSS %d MiB' \
    "$case" "$nm" "$(spread "${nw[@]}")" "$om" "$(spread "${ow[@]}")" "$(echo "$om / $nm" | bc -l)" \
    "$(median "${nc[@]}")" "$(median "${oc[@]}")" "$(spread "${oc[@]}")" \
    "$(($(printf '%s\n' "${rss[@]}" | sort -n | tail -1) / 1024))")")
done

printf '\n== %d nodes, parallelism %d, %d repetitions (medians, spreads in parentheses); load: %s\n' \
  "$n" "$p" "$reps" "$(uptime | sed 's/.*load average: //')"
printf '%s\n' "${summary[@]}"
