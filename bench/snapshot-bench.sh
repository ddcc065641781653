#!/usr/bin/env bash
# The run snapshot (GET /api/v1/runs/{id}) of an N-node run (layers of 20 command nodes, the first
# one sleeping so the run stays open): starts `orchestra serve` on a fresh ORCHESTRA_HOME, submits
# the run, then R times restarts the server and times its first snapshot request, then 20 more on
# the warm server. Prints one JSON line: first_ms (one per fresh server), then_ms (the 5 after the
# last restart) and steady_ms_last5. PRE=/healthz,workflows times those requests first (a cold
# server's cost that is not the snapshot's). SERVER_JAVA_OPTS sets the server JVM's options.
#   bench/snapshot-bench.sh [N=500] [R=5]
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin/orchestra --version >/dev/null # builds the jar outside the timing
python3 - "$PWD/cli/target/orchestra.jar" "$work" "${1:-500}" "${2:-5}" <<'PY'
import http.client, json, os, re, subprocess, sys, time
jar, work, n, restarts = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
env = dict(os.environ, ORCHESTRA_HOME=f"{work}/home")
os.makedirs(f"{work}/dir", exist_ok=True)
token = None
def start():
    global token
    s = subprocess.Popen(["java", *os.environ.get("SERVER_JAVA_OPTS", "").split(), "-jar", jar, "serve", "--port", "0"],
        cwd=f"{work}/dir", env=env, stdout=subprocess.PIPE, stderr=open(f"{work}/server.log", "a"), text=True)
    port = None
    for line in s.stdout:
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
        port = int(m.group(1)) if m else port
        m = re.search(r"\(scope admin\): (\S+)", line)
        if m: token = m.group(1)
        if port and token: break
    return s, port
def call(port, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t = time.perf_counter()
    c.request(method, path if path.startswith("/") else "/api/v1/" + path, None if body is None else json.dumps(body),
              {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    return r.status, data, (time.perf_counter() - t) * 1000
def workflow(n, width=20):
    lines = ['version: 1', f'name: snap-{n}', 'defaults: {agent: command}', 'nodes:', '  n0:', '    command: sleep 600']
    for i in range(1, n):
        needs = {f"n{(i // width) * width - width + (i % width)}"} if i >= width else {"n0"}
        if i >= width and i % 3 == 0: needs.add(f"n{(i // width) * width - width + ((i * 7) % width)}")
        lines += [f"  n{i}:", f"    needs: [{', '.join(sorted(needs))}]", f"    command: echo {i}"]
    return "\n".join(lines) + "\n"
s, port = start()
st, data, _ = call(port, "PUT", f"workflows/snap-{n}", {"yaml": workflow(n)}); assert st < 300, data
st, data, _ = call(port, "POST", "runs", {"workflow": f"snap-{n}"}); assert st < 300, data
rid = json.loads(data)["id"]
time.sleep(2)
firsts = []
for k in range(restarts):
    s.terminate(); s.wait(); s, port = start()
    pre = [round(call(port, "GET", p)[2]) for p in os.environ.get("PRE", "").split(",") if p]
    st, data, ms = call(port, "GET", f"runs/{rid}"); assert st == 200, data
    if pre: print("before it", pre, "ms", file=sys.stderr)
    firsts.append(ms)
steady = [call(port, "GET", f"runs/{rid}")[2] for _ in range(20)]
s.terminate(); s.wait()
print(json.dumps({"nodes": n, "bytes": len(data), "first_ms": [round(x) for x in firsts],
                  "then_ms": [round(x) for x in steady[:5]], "steady_ms_last5": [round(x) for x in steady[-5:]]}))
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
