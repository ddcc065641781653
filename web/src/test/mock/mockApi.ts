/**
 * TEST FIXTURE, not shipped: a small in-memory stand-in for `orchestra serve`'s API v1 draft, so
 * that the UI can be looked at with Vite's dev server before the real server exists
 * (`npm run dev:mock`). It stores the repository's examples as workflows, accepts any non-empty
 * token, validates only YAML syntax and unknown `needs`, and plays a run of any workflow as a
 * script of events over SSE. The real server replaces all of this; the Playwright tests run
 * against the real one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDocument } from 'yaml';
import type { Plugin } from 'vite';
import type { NodeStatus, RunSnapshot, RunStatus } from '../../main/ts/api/types';

interface MockRun {
  id: string;
  workflow: string;
  started: string;
  events: Record<string, unknown>[];
  nodes: { id: string; needs: string[]; agent: string }[];
  listeners: Set<ServerResponse>;
  finished: boolean;
}

const API = '/api/v1';
const ZERO_USAGE = { input_tokens: 0, output_tokens: 0, cost_usd: 0 };

export function mockApi(examplesDir: string): Plugin {
  const workflows = new Map<string, { yaml: string; updated: string }>();
  for (const f of readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'))) {
    const yaml = readFileSync(`${examplesDir}/${f}`, 'utf8');
    const name = String(parseDocument(yaml).get('name') ?? f.replace(/\.yaml$/, ''));
    workflows.set(name, { yaml, updated: new Date().toISOString() });
  }
  // Large generated workflows for looking at the canvas's performance by hand.
  for (const size of [500, 2000]) {
    const lines = [`version: 1`, `name: generated-${size}`, `description: ${size} generated command nodes in layers of 20`, `defaults: {agent: command}`, `nodes:`];
    for (let i = 0; i < size; i++) {
      const needs = i < 20 ? '' : `\n    needs: [n${Math.floor(i / 20) * 20 - 20 + (i % 20)}${i % 3 === 0 ? `, n${Math.floor(i / 20) * 20 - 20 + ((i * 7) % 20)}` : ''}]`;
      lines.push(`  n${i}:${needs.replace(/\[(n\d+), \1\]/, '[$1]')}\n    prompt: step ${i}\n    command: echo ${i}`);
    }
    workflows.set(`generated-${size}`, { yaml: lines.join('\n') + '\n', updated: new Date().toISOString() });
  }
  const runs = new Map<string, MockRun>();
  const globalListeners = new Set<ServerResponse>();
  let globalSeq = 0;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string, problems?: unknown[]) =>
    json(res, status, { error: { code, message, ...(problems ? { problems } : {}) } });
  const body = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data ? (JSON.parse(data) as Record<string, unknown>) : {}));
    });

  const problemsOf = (yaml: string) => {
    const doc = parseDocument(yaml);
    const problems: { file: string; line: number; column: number; message: string; hint: string | null }[] = doc.errors.map((e) => ({ file: 'workflow.yaml', line: e.linePos?.[0].line ?? 0, column: e.linePos?.[0].col ?? 0, message: e.message.split('\n')[0], hint: null }));
    const nodes = doc.get('nodes', true) as { items?: { key: { value: string }; value: unknown }[] } | undefined;
    const ids = new Set((nodes?.items ?? []).map((p) => String(p.key.value)));
    const lines = yaml.split('\n');
    lines.forEach((line, i) => {
      const m = line.match(/^\s+needs:\s*\[(.*)\]/);
      if (!m) return;
      for (const id of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        if (!ids.has(id)) problems.push({ file: 'workflow.yaml', line: i + 1, column: line.indexOf(id) + 1, message: `needs names an unknown node '${id}'`, hint: `known nodes: ${[...ids].join(', ')}` });
      }
    });
    for (const p of (nodes?.items ?? [])) {
      const v = p.value as { get?: (k: string) => unknown } | null;
      if (v && typeof v.get === 'function' && v.get('prompt') === undefined && v.get('uses') === undefined && v.get('command') === undefined && v.get('prompt_file') === undefined) {
        const line = lines.findIndex((l) => l.match(new RegExp(`^\\s+${p.key.value}:`))) + 1;
        problems.push({ file: 'workflow.yaml', line, column: 3, message: `node '${p.key.value}' has no prompt`, hint: 'add prompt: or prompt_file:' });
      }
    }
    return problems;
  };

  const emit = (run: MockRun, event: Record<string, unknown>) => {
    const e: Record<string, unknown> = { seq: run.events.length + 1, time: new Date().toISOString(), run: run.id, ...event };
    run.events.push(e);
    for (const res of run.listeners) res.write(`id: ${String(e.seq)}\nevent: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
    if (['run_started', 'run_finished', 'node_started', 'node_finished'].includes(String(e.type))) {
      globalSeq++;
      for (const res of globalListeners) res.write(`id: ${globalSeq}\nevent: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
    }
  };

  const play = async (run: MockRun, inputs: Record<string, string>) => {
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    emit(run, { type: 'run_started', workflow: run.workflow, inputs });
    const done = new Set<string>();
    const order = [...run.nodes];
    while (done.size < order.length) {
      const ready = order.filter((n) => !done.has(n.id) && n.needs.every((d) => done.has(d)));
      if (ready.length === 0) break;
      await Promise.all(
        ready.map(async (n, k) => {
          emit(run, { type: 'node_started', node: n.id, attempt: 1 });
          for (let i = 0; i < 8; i++) {
            await wait(150 + k * 40);
            emit(run, { type: 'node_output', node: n.id, stream: i === 5 ? 'stderr' : 'stdout', text: `${n.id}: step ${i + 1} of 8\n` });
          }
          emit(run, { type: 'node_checking', node: n.id, attempt: 1 });
          emit(run, { type: 'check_finished', node: n.id, check: 'tests', passed: true, output: 'ok' });
          emit(run, { type: 'node_finished', node: n.id, status: 'succeeded', attempts: 1, duration_ms: 1400, usage: { input_tokens: 1200, output_tokens: 340, cost_usd: 0.0123 }, output: `${n.id} done` });
          done.add(n.id);
        }),
      );
    }
    emit(run, { type: 'run_finished', status: 'succeeded', usage: { input_tokens: 1200 * done.size, output_tokens: 340 * done.size, cost_usd: 0.0123 * done.size } });
    run.finished = true;
  };

  // Typed as the schema's snapshot, so that the mock cannot drift from what the server sends.
  const snapshot = (run: MockRun): RunSnapshot => {
    const status = new Map<string, NodeStatus>();
    let runStatus: RunStatus = 'running';
    for (const e of run.events) {
      if (e.type === 'node_started') status.set(String(e.node), 'running');
      if (e.type === 'node_finished') status.set(String(e.node), e.status as NodeStatus);
      if (e.type === 'run_finished') runStatus = e.status as RunStatus;
    }
    return {
      id: run.id,
      workflow: run.workflow,
      status: runStatus,
      started: run.started,
      finished: null,
      reason: null,
      inputs: {},
      usage: ZERO_USAGE,
      last_seq: run.events.length,
      nodes: run.nodes.map((n) => ({
        id: n.id,
        needs: n.needs,
        agent: n.agent,
        max_attempts: 1,
        status: status.get(n.id) ?? 'pending',
        attempt: status.has(n.id) ? 1 : 0,
        started: null,
        finished: null,
        duration_ms: null,
        usage: ZERO_USAGE,
        reason: null,
        last_failure: null,
        last_line: '',
        waiting_until: null,
        approval: null,
      })),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname.slice(API.length);
    const method = req.method ?? 'GET';
    if (path === '/session' && method === 'POST') {
      const b = await body(req);
      if (!b.token) return fail(res, 401, 'unauthorized', 'The token is empty: paste the token orchestra serve printed.');
      res.setHeader('Set-Cookie', 'orchestra_session=mock; HttpOnly; SameSite=Strict; Path=/');
      return json(res, 200, { csrf_token: 'mock-csrf' });
    }
    if (!String(req.headers.cookie ?? '').includes('orchestra_session=mock')) return fail(res, 401, 'unauthorized', 'Log in first: no session.');
    if (path === '/session' && method === 'DELETE') return json(res, 200, {});
    if (path === '/workflows') {
      return json(res, 200, { workflows: [...workflows].map(([name, w]) => ({ name, description: String(parseDocument(w.yaml).get('description') ?? ''), updated: w.updated, problems_count: problemsOf(w.yaml).length })) });
    }
    let m = path.match(/^\/workflows\/([^/]+)$/);
    if (m) {
      const name = decodeURIComponent(m[1]);
      if (method === 'PUT') {
        const b = await body(req);
        const problems = problemsOf(String(b.yaml));
        if (problems.some((p) => p.line > 0 && /syntax|unknown/.test(p.message))) return fail(res, 422, 'invalid_workflow', 'The workflow is invalid: nothing was saved.', problems);
        workflows.set(name, { yaml: String(b.yaml), updated: new Date().toISOString() });
        return json(res, 200, { name, problems });
      }
      const w = workflows.get(name);
      return w ? json(res, 200, { name, yaml: w.yaml, problems: problemsOf(w.yaml) }) : fail(res, 404, 'not_found', `No workflow '${name}'.`);
    }
    if (path === '/validate') return json(res, 200, { problems: problemsOf(String((await body(req)).yaml)) });
    if (path === '/library') return json(res, 200, { agents: [{ name: 'review', description: 'Reviews a change with a critic check.', inputs: { focus: { required: true } }, outputs: ['report'] }] });
    if (path === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write(': hello\n\n');
      globalListeners.add(res);
      req.on('close', () => globalListeners.delete(res));
      return;
    }
    if (path === '/runs' && method === 'POST') {
      const b = await body(req);
      const w = workflows.get(String(b.workflow));
      if (!w) return fail(res, 404, 'not_found', `No workflow '${String(b.workflow)}'.`);
      const doc = parseDocument(w.yaml).toJS() as { nodes?: Record<string, { needs?: string[] | string; agent?: string; uses?: string }>; defaults?: { agent?: string } };
      const id = `mock-${Date.now().toString(36)}`;
      const run: MockRun = {
        id,
        workflow: String(b.workflow),
        started: new Date().toISOString(),
        events: [],
        nodes: Object.entries(doc.nodes ?? {}).map(([nid, n]) => ({ id: nid, needs: [n?.needs ?? []].flat(), agent: n?.agent ?? (n?.uses ? 'uses' : (doc.defaults?.agent ?? 'claude')) })),
        listeners: new Set(),
        finished: false,
      };
      runs.set(id, run);
      void play(run, (b.inputs as Record<string, string>) ?? {});
      return json(res, 202, { id, status: 'running' });
    }
    if (path === '/runs') {
      return json(res, 200, {
        runs: [...runs.values()].reverse().map((r) => {
          const s = snapshot(r);
          const count = (st: string) => s.nodes.filter((n) => n.status === st).length;
          return { id: r.id, workflow: r.workflow, status: s.status, started: r.started, finished: null, duration_ms: null, usage: null, nodes: { total: s.nodes.length, succeeded: count('succeeded'), failed: count('failed'), running: count('running') } };
        }),
        next_cursor: null,
      });
    }
    m = path.match(/^\/runs\/([^/]+)(\/.*)?$/);
    if (m) {
      const run = runs.get(decodeURIComponent(m[1]));
      if (!run) return fail(res, 404, 'not_found', `No run '${m[1]}'.`);
      const rest = m[2] ?? '';
      if (rest === '') return json(res, 200, snapshot(run));
      if (rest === '/events') {
        const after = Number(url.searchParams.get('after') ?? req.headers['last-event-id'] ?? 0);
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        for (const e of run.events.slice(after)) res.write(`id: ${String(e.seq)}\nevent: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
        run.listeners.add(res);
        req.on('close', () => run.listeners.delete(res));
        return;
      }
      const node = rest.match(/^\/nodes\/([^/]+)\/(.*)$/);
      if (node) {
        const id = decodeURIComponent(node[1]);
        if (node[2] === 'attempts') {
          const finished = run.events.find((e) => e.type === 'node_finished' && e.node === id);
          const started = run.events.find((e) => e.type === 'node_started' && e.node === id);
          return json(res, 200, { attempts: started ? [{ attempt: 1, started: started.time, finished: finished?.time ?? null, status: finished ? 'succeeded' : 'running', checks: finished ? [{ check: 'tests', passed: true, output: 'ok' }] : [], output: finished ? `${id} done` : null, usage: finished?.usage ?? null }] : [] });
        }
        res.setHeader('Content-Type', 'text/plain');
        if (node[2] === 'diff') return res.end(`--- a/README.md\n+++ b/README.md\n@@ -1,2 +1,2 @@\n-old line\n+new line by ${id}\n`);
        if (node[2].endsWith('/prompt')) return res.end(`The prompt sent to ${id}.`);
        if (node[2].endsWith('/stdout')) return res.end(run.events.filter((e) => e.node === id && e.type === 'node_output' && e.stream === 'stdout').map((e) => String(e.text)).join(''));
        return res.end('');
      }
      if (method === 'POST') return json(res, 202, {});
    }
    return fail(res, 404, 'not_found', `The mock has no ${method} ${path}.`);
  };

  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!req.url?.startsWith(API)) return next();
    handle(req, res).catch((e: unknown) => fail(res, 500, 'mock_error', String(e)));
  };
  return {
    name: 'orchestra-mock-api',
    // The dev server (npm run dev:mock) and the preview of the production build (npm run preview:mock).
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
