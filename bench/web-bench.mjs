// The web UI's figures in real Chromium against a running `orchestra serve` (bench/web-bench.sh
// starts one): for runs of generated N-node workflows (layers of 20 `command` nodes, each needing
// one or two of the layer before; the first node waits for a file that never comes, so the run
// stays running with every other node pending), the run view's
//   - load: from navigation to the first node box on screen, and the ELK layout time in its worker,
//     with where that time went (the page's Performance API marks and resource timings, in ms
//     from the navigation: HTML, script, DOMContentLoaded, session, snapshot, layout start and
//     end, the view fitted, every box in view mounted (large graphs), the ELK worker's script);
//     then warm, three times: from the hash change that opens the run view (from the runs list)
//     to the first node box on screen (the snapshot's fetch, the layout, the render), and its layout;
//   - pan/zoom: frame intervals (requestAnimationFrame to requestAnimationFrame) while the mouse
//     wheel zooms out step by step to the whole graph and back in, and while the canvas is dragged
//     at three zoom levels; p50, p95 and the longest, over every frame of the interaction.
// Then event-to-screen: a run of one `command` node that prints RATE lines a second for SECONDS
// seconds (each line carries the wall-clock millisecond it was printed at; each reaches the page
// as one `node_output` event on the run's stream) while its log is open in the run view; for each
// line, the time from its printing to the first animation frame after it is in the DOM (same
// machine, same clock); p50, p95, the longest, and the rate that was reached.
// Prints one JSON object per size and one for the events, then cancels the runs.
//
//   node bench/web-bench.mjs URL TOKEN [SIZES=500,2000] [RATE=100] [SECONDS=20]
//
// Environment: ORCHESTRA_BROWSER_MODULES, ORCHESTRA_CHROMIUM (as for the browser tests).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, login } from '../web/src/test/browser/browser.mjs';

const [url, token, sizesArg = '500,2000', rateArg = '100', secondsArg = '20'] = process.argv.slice(2);
if (!url || !token) {
  process.stderr.write('usage: node bench/web-bench.mjs URL TOKEN [SIZES]\n');
  process.exit(2);
}
const sizes = sizesArg.split(',').filter((s) => s !== '').map(Number);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const gate = mkdtempSync(join(tmpdir(), 'orchestra-web-bench-'));

async function api(method, path, body) {
  const r = await fetch(new URL(`api/v1/${path}`, url), {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

/** The same DAG as web/src/bench/ts/dags.ts (layers of `width`), as a workflow. */
function workflow(n, width = 20) {
  const lines = [
    'version: 1',
    `name: web-bench-${n}`,
    `description: ${n} generated command nodes in layers of ${width}`,
    'inputs: {gate: {required: true}}',
    'defaults: {agent: command}',
    'nodes:',
    '  n0:',
    '    env: {GATE: "{{ inputs.gate }}"}',
    '    command: while [ ! -e "$GATE/go" ]; do sleep 1; done',
  ];
  for (let i = 1; i < n; i++) {
    const needs = new Set();
    if (i >= width) {
      const start = Math.floor(i / width) * width - width;
      needs.add(`n${start + (i % width)}`);
      if (i % 3 === 0) needs.add(`n${start + ((i * 7) % width)}`);
    } else {
      needs.add('n0');
    }
    lines.push(`  n${i}:`, `    needs: [${[...needs].join(', ')}]`, `    command: echo ${i}`);
  }
  return lines.join('\n') + '\n';
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const browser = await launch();
const runs = [];
try {
  const page = await (await browser.context({ viewport: { width: 1600, height: 1000 } })).newPage();
  await page.goto(url);
  await login(page, token);
  for (const n of sizes) {
    await api('PUT', `workflows/web-bench-${n}`, { yaml: workflow(n) });
    const { id } = await api('POST', 'runs', { workflow: `web-bench-${n}`, inputs: { gate } });
    runs.push(id);
    // Load: a fresh navigation to the run view, until a node box is drawn.
    await page.goto('about:blank');
    const started = Date.now();
    await page.goto(`${url}#/runs/${id}`);
    await page.locator('.react-flow__node').first().waitFor();
    const firstNodeMs = Date.now() - started;
    await page.locator('.react-flow__node[data-id="n0"] .dag-node.status-running').waitFor();
    const layout = await page.evaluate(() => window.__orchestraLayout);
    const loadMarks = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const mark = (n) => performance.getEntriesByName(`orchestra:${n}`)[0]?.startTime;
      const fetched = (re) => performance.getEntriesByType('resource').find((e) => re.test(e.name))?.responseEnd;
      const marks = {
        html: nav?.responseEnd,
        script: fetched(/\/assets\/index-[^/]*\.js$/),
        domContentLoaded: nav?.domContentLoadedEventEnd,
        session: mark('session'),
        snapshot: mark('snapshot'),
        layoutStart: mark('layout-start'),
        layoutEnd: mark('layout-end'),
        shown: mark('shown'),
        mounted: mark('mounted'),
        elkScript: fetched(/elk-worker/),
      };
      return Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v === undefined ? null : Math.round(v)]));
    });
    // Warm: the page loaded, the run view opened again from the runs list (a hash change): the
    // snapshot's fetch, the layout and the first node box on screen, three times.
    const warm = [];
    const warmLayout = [];
    for (let k = 0; k < 3; k++) {
      await page.evaluate(() => (location.hash = '#/runs'));
      await page.locator('table.list').waitFor();
      warm.push(
        await page.evaluate(
          (run) =>
            new Promise((resolve) => {
              window.__orchestraLayout = undefined;
              const t0 = performance.now();
              location.hash = `#/runs/${run}`;
              const poll = () => (document.querySelector('.react-flow__node .dag-node') ? resolve(Math.round(performance.now() - t0)) : requestAnimationFrame(poll));
              requestAnimationFrame(poll);
            }),
          id,
        ),
      );
      warmLayout.push(Math.round(await page.evaluate(() => window.__orchestraLayout?.ms ?? NaN)));
    }

    const canvas = await page.locator('.canvas .react-flow__pane').boundingBox();
    const cx = canvas.x + canvas.width / 2;
    const cy = canvas.y + canvas.height / 2;
    await page.evaluate(() => {
      window.__frames = [];
      window.__phase = 'drag in view';
      const tick = (t) => {
        window.__frames.push([t, window.__phase]);
        window.__frameLoop = requestAnimationFrame(tick);
      };
      window.__frameLoop = requestAnimationFrame(tick);
    });
    const phase = (name) => page.evaluate((n) => (window.__phase = n), name);
    await page.mouse.move(cx, cy);
    const drag = async () => {
      await page.mouse.down();
      for (let i = 1; i <= 15; i++) await page.mouse.move(cx - i * 20, cy - i * 8);
      for (let i = 14; i >= 0; i--) await page.mouse.move(cx - i * 20, cy - i * 8);
      await page.mouse.up();
    };
    await drag();
    await phase('zoom out');
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 240); // out, to the whole graph
    await phase('drag, whole graph');
    await drag();
    await phase('zoom in');
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -240); // half way back in
    await phase('drag, half way');
    await drag();
    await phase('zoom in');
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -240);
    const frames = await page.evaluate(() => {
      cancelAnimationFrame(window.__frameLoop);
      return window.__frames;
    });
    // A frame's interval belongs to the phase it ended in.
    const byPhase = {};
    const all = [];
    for (let i = 1; i < frames.length; i++) {
      const d = frames[i][0] - frames[i - 1][0];
      all.push(d);
      (byPhase[frames[i][1]] ??= []).push(d);
    }
    const stats = (list) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { frames: sorted.length, p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), max: Math.round(sorted[sorted.length - 1]) };
    };
    const shown = await page.locator('.react-flow__node').count();
    process.stdout.write(
      JSON.stringify({
        nodes: n,
        firstNodeMs,
        layoutMs: Math.round(layout?.ms ?? NaN),
        loadMarks,
        warmFirstNodeMs: warm,
        warmLayoutMs: warmLayout,
        frameMs: stats(all),
        phases: Object.fromEntries(Object.entries(byPhase).map(([k, v]) => [k, stats(v)])),
        nodesInDomAtEnd: shown,
      }) + '\n',
    );
  }
  if (rate > 0) process.stdout.write(JSON.stringify(await eventToScreen(page)) + '\n');
} finally {
  for (const id of runs) await api('POST', `runs/${id}/cancel`).catch(() => undefined);
  await browser.close();
}

/** One node printing `rate` lines a second, paced on its own clock, once GATE/go exists. */
function emitterWorkflow() {
  const script =
    `const n = ${rate * seconds}, every = 1000 / ${rate}, t0 = Date.now(); let i = 0;` +
    ` const tick = () => { while (i < n && Date.now() >= t0 + i * every) process.stdout.write('t=' + Date.now() + ' i=' + i++ + String.fromCharCode(10));` +
    ` if (i < n) setTimeout(tick, Math.max(0, t0 + i * every - Date.now())); }; tick();`;
  return [
    'version: 1',
    'name: web-bench-events',
    `description: one node printing ${rate} lines a second for ${seconds} s`,
    'inputs: {gate: {required: true}}',
    'nodes:',
    '  emit:',
    '    agent: command',
    '    env: {GATE: "{{ inputs.gate }}"}',
    `    command: ${JSON.stringify(`while [ ! -e "$GATE/go-events" ]; do sleep 0.2; done; exec node -e ${shellQuote(script)}`)}`,
    '',
  ].join('\n');
}

function shellQuote(s) {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

async function eventToScreen(page) {
  await api('PUT', 'workflows/web-bench-events', { yaml: emitterWorkflow() });
  const { id } = await api('POST', 'runs', { workflow: 'web-bench-events', inputs: { gate } });
  runs.push(id);
  await page.goto(`${url}#/runs/${id}/nodes/emit?tab=log`);
  await page.locator('.react-flow__node[data-id="emit"] .dag-node.status-running').waitFor();
  await page.locator('aside.panel[aria-label="node emit"] .log').waitFor();
  await page.locator('.run-view .stream.open').waitFor();
  // Every line on screen, the first time it is: printed-at and the frame after it was in the DOM.
  await page.evaluate(() => {
    window.__shown = new Map();
    const log = document.querySelector('aside.panel[aria-label="node emit"] .log');
    const pending = [];
    new MutationObserver(() => {
      for (const el of log.querySelectorAll('.log-line')) {
        const m = /^t=(\d+) i=(\d+)$/.exec(el.textContent);
        if (m && !window.__shown.has(m[2])) {
          window.__shown.set(m[2], null);
          pending.push([m[2], Number(m[1])]);
        }
      }
      requestAnimationFrame(() => {
        const now = performance.timeOrigin + performance.now();
        for (const [i, printed] of pending.splice(0)) window.__shown.set(i, [printed, now - printed]);
      });
    }).observe(log, { childList: true, subtree: true, characterData: true });
  });
  writeFileSync(join(gate, 'go-events'), '');
  const n = rate * seconds;
  await page.locator('.react-flow__node[data-id="emit"] .dag-node.status-succeeded').waitFor({ timeout: (seconds + 120) * 1000 });
  // The last lines may still be on their way to the screen.
  await page.waitForFunction((last) => window.__shown.has(last), String(n - 1), { timeout: 60_000 }).catch(() => undefined);
  await page.waitForTimeout(500);
  const shown = await page.evaluate(() => [...window.__shown.values()].filter((v) => v !== null));
  const lat = shown.map(([, ms]) => ms).sort((a, b) => a - b);
  const printed = shown.map(([p]) => p).sort((a, b) => a - b);
  const span = (printed[printed.length - 1] - printed[0]) / 1000;
  return {
    events: n,
    targetPerSecond: rate,
    reachedPerSecond: Math.round((printed.length - 1) / span),
    seenOnScreen: lat.length,
    eventToScreenMs: { p50: Math.round(percentile(lat, 50)), p95: Math.round(percentile(lat, 95)), max: Math.round(lat[lat.length - 1]) },
  };
}
