#!/usr/bin/env bash
# The server under load: starts `orchestra serve` (SQLite under a fresh ORCHESTRA_HOME) on a
# free port, attaches C clients to the server-wide event stream (GET /api/v1/events), then submits
# N runs of a one-node command workflow from S threads (POST /api/v1/runs), waits for every run to
# finish and for every client to have seen it, and prints
#   submitted/s   N over the wall time from the first submission to the last 202 (a 503 busy
#                 with Retry-After is submitted again after it; their number is printed), and
#                 runs/s: N over the time until every client saw every run finish
#   p50/p95/max   event latency: a client's receipt of an event minus the event's `time` (stamped
#                 by the engine just before it is appended to the records), over all clients
#   lost, dup     per client, events of the records (the stream's types, read from orchestra.db) it
#                 never got, and events it got twice; both must be 0
#   rss           the server JVM's peak resident memory (VmHWM)
#   cpu           the server JVM's CPU time so far, user and system (steadier than the rates on a
#                 loaded machine)
#   by type/stage per event type, p50/p95 of the whole latency and of where it accrues, from the
#                 server's event timings (-Dorchestra.eventTimings, see EventTimings): append →
#                 commit (the store's append returned), commit → fan-out (in the hub, readable by
#                 the streams: the run's delivery thread, the JSON), fan-out → socket (a stream's
#                 write to the client returned: its wake-up, the coalescing wait, the write) and
#                 socket → client (the client's receipt; each event's writes and receipts are
#                 paired in time order, as no write names its client)
# Usage: bench/server-bench.sh [N] [C] [S]  (defaults 1000 100 8); SERVE_OPTS adds options of
# `orchestra serve` (e.g. "--max-running 16", "--db jdbc:postgresql://..."); SERVER_JAVA_OPTS sets the
# server JVM's options (default -Xmx384m: without a bound the JVM takes a quarter of the machine's
# memory and RSS grows with it). On PostgreSQL, BENCH_PSQL is a psql command line that reaches
# the database (for the lost and duplicated count), and the database should be empty. Needs
# python3. BENCH_JAR runs another build's jar (e.g. a copy of an older one, to alternate before
# and after). BENCH_DB=postgres starts a throwaway PostgreSQL cluster instead (initdb and pg_ctl of
# the newest /usr/lib/postgresql/*/bin, `fsync` on; as root, run as the postgres user) and sets
# SERVE_OPTS' --db and BENCH_PSQL for it. Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-1000}"
clients="${2:-100}"
submitters="${3:-8}"
work="$(mktemp -d)"
pg=""
cleanup() {
  kill "$(cat "$work/pid" 2>/dev/null)" 2>/dev/null || true
  if [[ -n $pg ]]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n ${BENCH_JAR:-} ]]; then
  jar="$BENCH_JAR"
else
  bin/orchestra --version >/dev/null # builds the jar outside the timing
  jar="$PWD/cli/target/orchestra.jar"
fi

if [[ ${BENCH_DB:-sqlite} == postgres ]]; then
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  pg="$(mktemp -d)"
  as_pg=()
  if [[ $(id -u) == 0 ]]; then
    chown postgres "$pg"
    as_pg=(runuser -u postgres --)
  fi
  password="pw-$RANDOM$RANDOM"
  echo "$password" >"$pg/pwfile"
  "${as_pg[@]}" "$pgbin/initdb" -D "$pg/data" -U orchestra --auth=scram-sha-256 \
    --pwfile="$pg/pwfile" -E UTF8 --locale=C.UTF-8 >"$pg/initdb.log"
  pgport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')"
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 90 \
    -o "-p $pgport -c listen_addresses=127.0.0.1 -k $pg" start >/dev/null
  export ORCHESTRA_DB_PASSWORD="$password"
  export SERVE_OPTS="${SERVE_OPTS:-} --db jdbc:postgresql://127.0.0.1:$pgport/postgres?user=orchestra"
  export BENCH_PSQL="PGPASSWORD=$password $pgbin/psql -h 127.0.0.1 -p $pgport -U orchestra postgres"
fi

export SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx384m} -Dorchestra.eventTimings=$work/timings.tsv"
python3 - "$jar" "$work" "$runs" "$clients" "$submitters" <<'PY'
import http.client, json, os, re, sqlite3, subprocess, sys, threading, time
from datetime import datetime

jar, work, runs, clients, submitters = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
env = dict(os.environ, ORCHESTRA_HOME=f"{work}/home")
server = subprocess.Popen(["java", *os.environ["SERVER_JAVA_OPTS"].split(), "-jar", jar, "serve",
                           "--port", "0", *os.environ.get("SERVE_OPTS", "").split()],
                          cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=open(f"{work}/server.log", "w"), text=True)
open(f"{work}/pid", "w").write(str(server.pid))
port = token = None
for line in server.stdout:
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
    port = int(m.group(1)) if m else port
    m = re.search(r"shown once \(scope admin\): (\S+)", line)
    if m:
        token = m.group(1)
        break
assert port and token, "the server did not start; see server.log"
threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
auth = {"Authorization": f"Bearer {token}"}

def instant(text):
    head, _, frac = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(head).timestamp() + float("0." + (frac or "0"))

received = [[] for _ in range(clients)]   # (arrival wall time, data line) per client
ready = threading.Barrier(clients + 1)
def listen(i):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.request("GET", "/api/v1/events", headers={**auth, "Accept": "text/event-stream"})
    r = c.getresponse()
    assert r.status == 200, r.status
    ready.wait()
    out = received[i]
    while True:
        line = r.readline()  # the body is chunked: read it decoded, never the raw socket
        if not line:
            return
        if line.startswith(b"data: "):
            out.append((time.time(), line[6:]))
for i in range(clients):
    threading.Thread(target=listen, args=(i,), daemon=True).start()
ready.wait()

yaml = "version: 1\nname: bench\nnodes:\n  hello:\n    agent: command\n    command: [echo, hi]\n"
body = json.dumps({"yaml": yaml})
ids, lock, busy = [], threading.Lock(), [0]
def submit(count):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    done = 0
    while done < count:
        c.request("POST", "/api/v1/runs", body=body,
                  headers={**auth, "Content-Type": "application/json"})
        r = c.getresponse()
        data = r.read()
        if r.status == 503 and r.getheader("Retry-After"):
            with lock:  # the server runs its limit of runs: try again when it says
                busy[0] += 1
            time.sleep(float(r.getheader("Retry-After")))
            continue
        assert r.status == 202, (r.status, data)
        with lock:
            ids.append(json.loads(data)["id"])
        done += 1
start = time.time()
threads = [threading.Thread(target=submit, args=(runs // submitters + (k < runs % submitters),))
           for k in range(submitters)]
[t.start() for t in threads]
[t.join() for t in threads]
submit_s = time.time() - start

# Wait until every run finished and every client saw every run_finished (bounded).
deadline = time.time() + 600
def finished(i):
    return sum(1 for _, d in received[i] if b'"run_finished"' in d)
while time.time() < deadline and min(finished(i) for i in range(clients)) < runs:
    time.sleep(0.5)
all_s = time.time() - start
time.sleep(1)

types = {"run_started", "run_finished", "node_started", "node_checking", "node_retrying",
         "node_rate_limited", "node_waiting_approval", "node_approved", "node_rejected",
         "node_finished"}
expected = set()
wanted = set(ids)
if os.environ.get("BENCH_PSQL"):  # the runs are in PostgreSQL (SERVE_OPTS --db ...)
    out = subprocess.run(os.environ["BENCH_PSQL"] + " -At -F ' ' -c 'SELECT run_id, seq, type"
                         " FROM events'", shell=True, check=True, capture_output=True, text=True)
    rows = [(r, int(q), k) for r, q, k in (l.split(" ") for l in out.stdout.splitlines() if l)]
else:
    db = sqlite3.connect(f"file:{work}/home/orchestra.db?mode=ro", uri=True)
    rows = db.execute("SELECT run_id, seq, type FROM events")
for run, seq, kind in rows:
    if run in wanted and kind in types:
        expected.add((run, seq))
latencies, lost, dup, resyncs = [], 0, 0, 0
arrivals = {}  # (run, seq) -> [arrival wall time] over all clients
for out in received:
    got = {}
    for arrival, data in out:
        e = json.loads(data)
        if e.get("type") == "resync":
            resyncs += 1
            continue
        key = (e["run"], e["seq"])
        got[key] = got.get(key, 0) + 1
        latencies.append((arrival - instant(e["time"])) * 1000)
        arrivals.setdefault(key, []).append((arrival, e["type"]))
    dup += sum(n - 1 for n in got.values() if n > 1)
    missed = expected - got.keys()
    lost += len(missed)
    if missed:
        print(f"client {received.index(out)} missed {len(missed)}, e.g. {sorted(missed)[:5]}",
              file=sys.stderr)
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
rss = next(l.split()[1] for l in open(f"/proc/{server.pid}/status") if l.startswith("VmHWM"))
print(f"runs {runs}, clients {clients}, submitters {submitters}, events per client {len(expected)}")
print(f"submitted/s {runs / submit_s:.0f}  ({submit_s:.1f} s for {runs}, {busy[0]} answered 503"
      f" busy and submitted again; all finished and streamed after {all_s:.1f} s:"
      f" {runs / all_s:.0f} runs/s)")
print(f"latency p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, max {latencies[-1]:.1f} ms"
      f" ({len(latencies)} deliveries)")
print(f"lost {lost}, duplicated {dup}, resync {resyncs}")
print(f"server rss peak {int(rss) // 1024} MB")
ticks = os.sysconf("SC_CLK_TCK")
fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
print(f"server cpu {int(fields[11]) / ticks:.1f} s user, {int(fields[12]) / ticks:.1f} s system")
server.terminate()
server.wait(30)

# Where the latency accrues, per event type, from the timings the server wrote as it exited.
def percentiles(xs):
    xs = sorted(xs)
    return (f"{xs[int(0.5 * len(xs))]:6.1f} {xs[min(len(xs) - 1, int(0.95 * len(xs)))]:6.1f}"
            if xs else "     -      -")
stages = ("total", "append>commit", "commit>fan-out", "fan-out>socket", "socket>client")
by_type = {}
try:
    lines = open(f"{work}/timings.tsv").read().splitlines()
except FileNotFoundError:
    lines = []
    print("(no event timings: this jar does not write them)")
for line in lines:
    run, seq, kind, stamped, recorded, fanned, writes = (line.split("\t") + [""])[:7]
    got = arrivals.get((run, int(seq)))
    if not got or not int(recorded) or not int(fanned):
        continue  # not streamed, or read from the store rather than the hub
    stamped, recorded, fanned = int(stamped) / 1e3, int(recorded) / 1e3, int(fanned) / 1e3
    s = by_type.setdefault(kind, {k: [] for k in stages})
    s["append>commit"].append(recorded - stamped)
    s["commit>fan-out"].append(fanned - recorded)
    written = sorted(int(w) / 1e3 for w in writes.split(",") if w)
    s["fan-out>socket"].extend(w - fanned for w in written)
    received_ms = sorted(a * 1000 for a, _ in got)
    s["total"].extend(r - stamped for r in received_ms)
    s["socket>client"].extend(r - w for w, r in zip(written, received_ms))
if by_type:
    print(f"{'p50 p95 ms':<22}" + "".join(f"{k:>16}" for k in stages))
    for kind in sorted(by_type):
        print(f"{kind:<22}" + "".join(f"{percentiles(by_type[kind][k]):>16}" for k in stages))
PY
