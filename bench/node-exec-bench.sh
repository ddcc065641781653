#!/usr/bin/env bash
# What does running each node in a process of its own cost (`orchestra node exec`, one per Jenkins
# stage)? Plans a chain of N command nodes (each `true`, so that the node itself costs almost
# nothing), runs `bin/orchestra node exec` for each in turn, as a pipeline's stages do, and prints
#   overhead  node exec's wall time minus the node's own duration (its result's duration_ms): JVM
#             start, reading the plan and the records (node k reads the ends of the k-1 before it),
#             recording its events, writing its result
#   start     `bin/orchestra --version`: the JVM and CLI start alone, the floor of the above
#   in-run    for comparison, `orchestra run` of the same chain, per node
# with plan and `runs finish` once each. Target: overhead <= 0.5 s per node on this machine.
# Usage: bench/node-exec-bench.sh [N]  (default 20). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."

nodes="${1:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin/orchestra --version >/dev/null # builds the jar and its class data archive outside the timing
orchestra="$PWD/bin/orchestra"

python3 - "$orchestra" "$work" "$nodes" <<'PY'
import json, statistics, subprocess, sys, time

orchestra, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = ["version: 1", "name: node-exec-bench", "defaults: {agent: command, attempts: 1}", "nodes:"]
for i in range(1, n + 1):
    needs = f", needs: [n{i - 1}]" if i > 1 else ""
    lines.append(f'  n{i}: {{command: "true"{needs}}}')
with open(f"{work}/chain.yaml", "w") as f:
    f.write("\n".join(lines) + "\n")

def timed(*args, **kw):
    t0 = time.monotonic()
    p = subprocess.run([orchestra, *args], cwd=work, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, **kw)
    return (time.monotonic() - t0) * 1000, p

start = [timed("--version")[0] for _ in range(5)]
plan_ms, p = timed("plan", "chain.yaml", "--json")
if p.returncode != 0:
    sys.exit("plan failed: " + p.stderr)
run = json.loads(p.stdout)["run"]
overhead, wall = [], []
for i in range(1, n + 1):
    ms, p = timed("node", "exec", "--run", run, "--node", f"n{i}", "--result", f"r{i}.json")
    if p.returncode != 0:
        sys.exit(f"node exec n{i} exited {p.returncode}: {p.stderr}")
    with open(f"{work}/r{i}.json") as f:
        own = json.load(f)["duration_ms"]
    wall.append(ms)
    overhead.append(ms - own)
finish_ms, p = timed("runs", "finish", run)
if p.returncode != 0:
    sys.exit("runs finish failed: " + p.stderr)
in_run_ms, p = timed("run", "chain.yaml", "--no-live")
if p.returncode != 0:
    sys.exit("run failed: " + p.stderr)

def line(name, ms):
    print(f"{name:9} median {statistics.median(ms):6.0f} ms  mean {statistics.mean(ms):6.0f}  "
          f"min {min(ms):5.0f}  max {max(ms):5.0f}")

print(f"{n} nodes in a chain, one node exec each")
line("overhead", overhead)
line("start", start)
print(f"in-run    {in_run_ms / n:6.0f} ms per node (orchestra run of the chain: {in_run_ms:.0f} ms)")
print(f"plan {plan_ms:.0f} ms, runs finish {finish_ms:.0f} ms")
target = statistics.median(overhead) <= 500
print("target <= 500 ms per node: " + ("met" if target else "NOT met"))
PY
