#!/usr/bin/env bash
# How soon does a running run take up a decision made in another terminal? Starts
# `orchestra run --json` of a workflow whose one node has an approval gate, waits for its
# `node_waiting_approval` event, runs `orchestra approve` in a fresh JVM (as a person would in
# another terminal) and reads the run's `node_approved` event. R times; prints the medians of
#   approve   the wall time of `orchestra approve` (JVM start, reading the run, writing the decision)
#   written   from the decision file's mtime (nodes/deploy/approval.json, written by `approve`) to
#             the running run's `node_approved` event: the OS's file notification and the engine
#   decided   from the decision's `decided_at` (stamped by `approve` before it reads the run) to
#             that event: `written` plus what `approve` does between stamping and writing
# Usage: bench/approval-bench.sh [R]  (default 10). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."

repeat="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin/orchestra --version >/dev/null # builds the jar outside the timing
jar="$PWD/cli/target/orchestra.jar"

cat >"$work/gate.yaml" <<'YAML'
version: 1
name: approval-bench
defaults: {agent: command, attempts: 1}
nodes:
  build: {command: "echo built"}
  deploy: {needs: [build], command: "echo deployed", approval: {message: "Deploy?"}}
YAML

python3 - "$jar" "$work" "$repeat" <<'PY'
import json, os, statistics, subprocess, sys, time
from datetime import datetime

jar, work, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])

def instant(text):
    # Java prints up to nine fraction digits; Python reads six.
    head, _, frac = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(head).timestamp() + float("0." + (frac or "0"))

approve_ms, written_ms, decided_ms = [], [], []
for _ in range(repeat):
    run = subprocess.Popen(
        ["java", "-jar", jar, "run", f"{work}/gate.yaml", "--json", "--runs-dir", f"{work}/runs"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    run_id = None
    for line in run.stdout:
        e = json.loads(line)
        run_id = e["run"]
        if e["type"] == "node_waiting_approval":
            break
    t0 = time.monotonic()
    subprocess.run(
        ["java", "-jar", jar, "approve", run_id, "deploy", "--by", "bench", "--runs-dir",
         f"{work}/runs"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    approve_ms.append((time.monotonic() - t0) * 1000)
    for line in run.stdout:
        e = json.loads(line)
        if e["type"] == "node_approved":
            mtime = os.stat(f"{work}/runs/{run_id}/nodes/deploy/approval.json").st_mtime_ns / 1e9
            written_ms.append((instant(e["time"]) - mtime) * 1000)
            decided_ms.append((instant(e["time"]) - instant(e["decided_at"])) * 1000)
    if run.wait() != 0:
        sys.exit("the run did not succeed")

print(f"{repeat} decisions")
print(f"approve   median {statistics.median(approve_ms):7.1f} ms  (min {min(approve_ms):.1f}, max {max(approve_ms):.1f})")
for name, ms in (("written", written_ms), ("decided", decided_ms)):
    print(f"{name:9} median {statistics.median(ms):7.1f} ms  (min {min(ms):.1f}, max {max(ms):.1f})")
PY
