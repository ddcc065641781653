// The clients and the report of bench/server-bench.sh (see there for what it measures): starts the
// server, attaches the SSE clients, submits the runs, waits for every client to see every run
// finish, and prints the figures. One event loop reads all the streams, so a client's receipt is
// noted when its bytes arrive; the Python client it replaces read 100 streams from 100 threads
// under one interpreter lock and added tens of milliseconds of its own to the p95.
// Usage: node bench/server-bench.mjs JAR WORK RUNS CLIENTS SUBMITTERS (no dependencies).
import { execSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import readline from "node:readline";

const [jar, work] = process.argv.slice(2, 4);
const [runs, clients, submitters] = process.argv.slice(4, 7).map(Number);
// The wall clock in milliseconds with a fraction: Date.now() has whole milliseconds only.
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// BENCH_RATE: submissions per second offered in all (each submission starts at its slot, whatever
// became of the ones before: an open loop); unset or 0, the submitters go as fast as they are
// answered (a closed loop, which keeps the machine saturated).
const rate = Number(process.env.BENCH_RATE ?? 0);
let slots = 0;
// BENCH_WARMUP: runs submitted (as fast as answered) and streamed before the measured ones, whose
// events and times are then forgotten: the figures are those of a server whose JIT compilers
// compiled its busy code, as a server that has been up for a while; 0 (the default) measures the
// fresh server, compilers and all.
const warmup = Number(process.env.BENCH_WARMUP ?? 0);

const server = spawn(
  "java",
  [
    ...process.env.SERVER_JAVA_OPTS.split(/\s+/).filter(Boolean),
    ...["-jar", jar, "serve", "--port", "0"],
    ...(process.env.SERVE_OPTS ?? "").split(/\s+/).filter(Boolean),
  ],
  {
    cwd: work,
    env: { ...process.env, ORCHESTRA_HOME: `${work}/home` },
    stdio: ["ignore", "pipe", fs.openSync(`${work}/server.log`, "w")],
  },
);
fs.writeFileSync(`${work}/pid`, String(server.pid));
const { port, token } = await started(server);
const auth = { Authorization: `Bearer ${token}` };

/** The port and the admin token the server prints as it starts; its output is drained after. */
async function started(child) {
  let port;
  for await (const line of readline.createInterface({ input: child.stdout })) {
    port = line.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//)?.[1] ?? port;
    const token = line.match(/shown once \(scope admin\): (\S+)/)?.[1];
    if (port && token) {
      child.stdout.resume();
      return { port: Number(port), token };
    }
  }
  throw new Error("the server did not start; see server.log");
}

/** Parses an ISO instant to epoch milliseconds, keeping the sub-millisecond digits. */
function instant(text) {
  const [head, frac = "0"] = text.replace(/Z$/, "").split(".");
  return Date.parse(`${head}Z`) + Number(`0.${frac}`) * 1000;
}

const received = Array.from({ length: clients }, () => []); // [arrival ms, data line] per client
const finished = new Array(clients).fill(0); // run_finished events seen, per client

/**
 * Opens client i's stream on a plain socket; resolves once the server answered 200. The server
 * sends the stream as the body of a `Connection: close` response, neither chunked nor with a
 * length, so after the headers the bytes are the events; Node's HTTP client would cost several
 * times the CPU per event, and so delay the receipts noted here. Bytes are kept as latin1 text
 * (one char per byte) and decoded as UTF-8 in the report.
 */
function listen(i) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.setNoDelay(true);
    socket.setEncoding("latin1");
    socket.on("error", reject);
    socket.write(
      `GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Authorization: ${auth.Authorization}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    let headers = true;
    let line = ""; // the current line so far
    socket.on("data", (text) => {
      const arrival = now();
      const lines = (line + text).split("\n");
      line = lines.pop();
      if (headers) {
        const end = lines.indexOf("\r");
        if (end < 0) return void (line = lines.join("\n") + "\n" + line);
        const head = lines.slice(0, end).join("\n");
        if (!/^HTTP\/1\.1 200 /.test(head) || /transfer-encoding/i.test(head)) {
          return reject(new Error(`stream: not a plain 200 response: ${head}`));
        }
        headers = false;
        lines.splice(0, end + 1);
        resolve();
      }
      for (const l of lines) {
        if (!l.startsWith("data: ")) continue;
        received[i].push([arrival, l.slice(6)]);
        if (l.includes('"run_finished"')) finished[i]++;
      }
    });
  });
}
await Promise.all(Array.from({ length: clients }, (_, i) => listen(i)));

const yaml = "version: 1\nname: bench\nnodes:\n  hello:\n    agent: command\n    command: [echo, hi]\n";
const body = JSON.stringify({ yaml });
let ids = [];
let busy = 0;

function post(agent) {
  return new Promise((resolve, reject) => {
    const options = {
      host: "127.0.0.1",
      port,
      path: "/api/v1/runs",
      method: "POST",
      agent,
      headers: { ...auth, "Content-Type": "application/json" },
    };
    const req = http.request(options, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (data += chunk));
      res.on("end", () => resolve({ status: res.statusCode, res, data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** One submitter: count runs, one at a time on one kept-alive connection; paced by BENCH_RATE. */
async function submit(count, paced) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let done = 0; done < count; ) {
    if (paced && rate > 0) {
      const at = start + (slots++ * 1000) / rate;
      if (now() < at) await sleep(at - now());
    }
    const { status, res, data } = await post(agent);
    const retryAfter = res.headers["retry-after"];
    if (status === 503 && retryAfter) {
      busy++; // the server runs its limit of runs: try again when it says
      await sleep(Number(retryAfter) * 1000);
      continue;
    }
    if (status !== 202) throw new Error(`submit: ${status} ${data}`);
    ids.push(JSON.parse(data).id);
    done++;
  }
  agent.destroy();
}
/** Submits n runs from the submitters, sharing them out. */
const submitAll = (n, paced) =>
  Promise.all(
    Array.from({ length: submitters }, (_, k) =>
      submit(Math.floor(n / submitters) + (k < n % submitters ? 1 : 0), paced),
    ),
  );

/** The server JVM's CPU time so far, user and system, in seconds. */
function serverCpu() {
  const ticks = Number(execSync("getconf CLK_TCK", { encoding: "utf8" }));
  const stat = fs.readFileSync(`/proc/${server.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 1).trim().split(" ");
  return [fields[11] / ticks, fields[12] / ticks];
}

if (warmup > 0) {
  await submitAll(warmup, false);
  const until = now() + 600_000;
  while (now() < until && Math.min(...finished) < warmup) await sleep(100);
  if (Math.min(...finished) < warmup) throw new Error("the warm-up runs did not all finish");
  await sleep(1000); // their last heartbeats and writes
  received.forEach((events) => (events.length = 0));
  finished.fill(0);
  ids = [];
  busy = 0;
}
const cpuBefore = serverCpu();
const start = now();
await submitAll(runs, true);
const submitS = (now() - start) / 1000;

// Wait until every run finished and every client saw every run_finished (bounded).
const deadline = now() + 600_000;
while (now() < deadline && Math.min(...finished) < runs) await sleep(500);
const allS = (now() - start) / 1000;
await sleep(1000);

const types = new Set([
  ...["run_started", "run_finished", "node_started", "node_checking", "node_retrying"],
  ...["node_rate_limited", "node_waiting_approval", "node_approved", "node_rejected"],
  "node_finished",
]);
const sql = "SELECT run_id, seq, type FROM events";
const rows = process.env.BENCH_PSQL // the runs are in PostgreSQL (SERVE_OPTS --db ...)
  ? execSync(`${process.env.BENCH_PSQL} -At -F ' ' -c '${sql}'`, {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    })
  : execSync(`sqlite3 -readonly -separator ' ' '${work}/home/orchestra.db' '${sql}'`, {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
const wanted = new Set(ids);
const expected = new Set();
for (const line of rows.split("\n")) {
  const [run, seq, kind] = line.split(" ");
  if (wanted.has(run) && types.has(kind)) expected.add(`${run}\t${Number(seq)}`);
}

const latencies = [];
const arrivals = new Map(); // "run\tseq" -> arrival ms over all clients
let lost = 0;
let dup = 0;
let resyncs = 0;
received.forEach((events, client) => {
  const got = new Map();
  for (const [arrival, data] of events) {
    const e = JSON.parse(Buffer.from(data, "latin1").toString("utf8"));
    if (e.type === "resync") {
      resyncs++;
      continue;
    }
    const key = `${e.run}\t${e.seq}`;
    got.set(key, (got.get(key) ?? 0) + 1);
    latencies.push(arrival - instant(e.time));
    if (!arrivals.has(key)) arrivals.set(key, []);
    arrivals.get(key).push(arrival);
  }
  for (const n of got.values()) dup += n > 1 ? n - 1 : 0;
  const missed = [...expected].filter((key) => !got.has(key));
  lost += missed.length;
  if (missed.length) {
    console.error(`client ${client} missed ${missed.length}, e.g. ${missed.sort().slice(0, 5)}`);
  }
});
latencies.sort((a, b) => a - b);
const at = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const status = fs.readFileSync(`/proc/${server.pid}/status`, "utf8");
const rss = Number(status.match(/^VmHWM:\s+(\d+)/m)[1]);
console.log(
  `runs ${runs}, clients ${clients}, submitters ${submitters}, events per client ${expected.size}` +
    (rate > 0 ? `, offered ${rate} submissions/s` : ", submitted as fast as answered") +
    (warmup > 0 ? `, after ${warmup} warm-up runs` : ""),
);
console.log(
  `submitted/s ${(runs / submitS).toFixed(0)}  (${submitS.toFixed(1)} s for ${runs}, ${busy} answered 503` +
    ` busy and submitted again; all finished and streamed after ${allS.toFixed(1)} s:` +
    ` ${(runs / allS).toFixed(0)} runs/s)`,
);
console.log(
  `latency p50 ${at(latencies, 0.5).toFixed(1)} ms, p95 ${at(latencies, 0.95).toFixed(1)} ms,` +
    ` max ${latencies.at(-1).toFixed(1)} ms (${latencies.length} deliveries)`,
);
console.log(`lost ${lost}, duplicated ${dup}, resync ${resyncs}`);
console.log(`server rss peak ${Math.floor(rss / 1024)} MB`);
const [user, system] = serverCpu();
console.log(
  `server cpu ${user.toFixed(1)} s user, ${system.toFixed(1)} s system` +
    (warmup > 0
      ? ` (of which the measured runs ${(user - cpuBefore[0]).toFixed(1)} s user,` +
        ` ${(system - cpuBefore[1]).toFixed(1)} s system)`
      : ""),
);
const own = process.cpuUsage();
console.log(
  `client cpu ${(own.user / 1e6).toFixed(1)} s user, ${(own.system / 1e6).toFixed(1)} s system`,
);
const exited = new Promise((resolve) => server.on("exit", resolve));
server.kill("SIGTERM");
await Promise.race([exited, sleep(30_000)]);

// Where the latency accrues, per event type, from the timings the server wrote as it exited.
const percentiles = (xs) => {
  if (!xs.length) return "     -      -";
  xs.sort((a, b) => a - b);
  return `${at(xs, 0.5).toFixed(1).padStart(6)} ${at(xs, 0.95).toFixed(1).padStart(6)}`;
};
const stages = ["total", "append>commit", "commit>fan-out", "fan-out>socket", "socket>client"];
const byType = new Map();
let lines = [];
try {
  lines = fs.readFileSync(`${work}/timings.tsv`, "utf8").split("\n").filter(Boolean);
} catch {
  console.log("(no event timings: this jar does not write them)");
}
for (const line of lines) {
  const [run, seq, kind, ...instants] = line.split("\t");
  const got = arrivals.get(`${run}\t${Number(seq)}`);
  const [stamped, recorded, fanned] = instants.slice(0, 3).map((us) => Number(us) / 1e3);
  if (!got || !recorded || !fanned) continue; // not streamed, or read from the store, not the hub
  if (!byType.has(kind)) byType.set(kind, Object.fromEntries(stages.map((k) => [k, []])));
  const s = byType.get(kind);
  s["append>commit"].push(recorded - stamped);
  s["commit>fan-out"].push(fanned - recorded);
  const written = (instants[3] ?? "").split(",").filter(Boolean).map((us) => Number(us) / 1e3);
  written.sort((a, b) => a - b);
  s["fan-out>socket"].push(...written.map((w) => w - fanned));
  const receipts = [...got].sort((a, b) => a - b);
  s.total.push(...receipts.map((r) => r - stamped));
  const paired = Math.min(written.length, receipts.length);
  for (let k = 0; k < paired; k++) s["socket>client"].push(receipts[k] - written[k]);
}
if (byType.size) {
  console.log("p50 p95 ms".padEnd(22) + stages.map((k) => k.padStart(16)).join(""));
  for (const kind of [...byType.keys()].sort()) {
    const s = byType.get(kind);
    console.log(kind.padEnd(22) + stages.map((k) => percentiles(s[k]).padStart(16)).join(""));
  }
}
process.exit(0);
