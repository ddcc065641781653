#!/usr/bin/env bash
# What does the Docker executor add to a node? In one run on this machine, compares
#   1. a plain `docker run --rm IMAGE true` (the docker CLI: create, start, wait, remove), and
#   2. `bin/orchestra run` of N sequential `executor: docker` nodes of the same image, each
#      `touch started-I` in the workspace:
#        start     node_started event -> the agent process running in its container (the file's
#                  mtime: same kernel clock as the JVM's)
#        complete  node_started -> node_finished (create, start, attach, wait, inspect, remove)
# and prints median and mean per node, the ratio to `docker run --rm true`, and the overhead.
# Usage: bench/docker-bench.sh [N] [IMAGE]  (defaults 20, orchestra-test-busybox:latest, built
# by docker/images/build-test-images.sh). Needs a running Docker engine and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-20}"
image="${2:-orchestra-test-busybox:latest}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

docker image inspect "$image" >/dev/null 2>&1 || docker/images/build-test-images.sh
bin/orchestra --version >/dev/null # builds the jar outside the timing

echo "== docker run --rm $image true, $n times"
docker run --rm "$image" true # warm-up
: >"$work/plain.txt"
for _ in $(seq 1 "$n"); do
  t0=$(date +%s%N)
  docker run --rm "$image" true
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000)) >>"$work/plain.txt"
done

echo "== bin/orchestra run: $n docker nodes, one at a time"
{
  printf 'version: 1\nname: docker-bench\n'
  printf 'defaults: {agent: command, attempts: 1, executor: docker, image: "%s"}\n' "$image"
  printf 'limits: {concurrency: 1}\nnodes:\n'
  printf '  warmup:\n    command: ["true"]\n'
  for i in $(seq 1 "$n"); do
    printf '  n%s:\n    needs: [%s]\n    command: ["touch", "started-%s"]\n' \
      "$i" "$([[ $i -eq 1 ]] && echo warmup || echo "n$((i - 1))")" "$i"
  done
} >"$work/bench.yaml"
(cd "$work" && "$OLDPWD/bin/orchestra" run bench.yaml --json >events.jsonl)

python3 - "$work" "$n" <<'PY'
import json, os, statistics, sys
from datetime import datetime
work, n = sys.argv[1], int(sys.argv[2])

def micros(ts):
    # 2026-11-24T01:05:18.781718738Z: keep microseconds (Python parses at most 6 digits).
    head, frac = ts.rstrip("Z").split(".")
    dt = datetime.fromisoformat(head + "+00:00")
    return int(dt.timestamp()) * 1_000_000 + int(frac[:6].ljust(6, "0"))

started, finished = {}, {}
for line in open(os.path.join(work, "events.jsonl")):
    e = json.loads(line)
    if e["type"] == "node_started":
        started[e["node"]] = micros(e["time"])
    elif e["type"] == "node_finished":
        finished[e["node"]] = micros(e["time"])
        assert e["status"] == "succeeded", e
start, complete = [], []
for i in range(1, n + 1):
    node = f"n{i}"
    mtime = os.stat(os.path.join(work, f"started-{i}")).st_mtime_ns // 1000
    start.append(mtime - started[node])
    complete.append(finished[node] - started[node])
plain = [int(x) for x in open(os.path.join(work, "plain.txt"))]

def ms(xs):
    return f"median {statistics.median(xs)/1000:7.1f} ms   mean {statistics.mean(xs)/1000:7.1f} ms"

p = statistics.median(plain)
s = statistics.median(start)
c = statistics.median(complete)
print(f"docker run --rm true        {ms(plain)}")
print(f"node start -> agent start   {ms(start)}")
print(f"node start -> node finished {ms(complete)}")
print(f"agent start / docker run:   {s/p:.2f}x  ({(s-p)/1000:+.1f} ms)")
print(f"node total  / docker run:   {c/p:.2f}x  ({(c-p)/1000:+.1f} ms)")
PY
left="$(docker ps -a -q --filter label=orchestra.run | wc -l)"
echo "containers left with label orchestra.run: $left"
