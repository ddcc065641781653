import { useCallback, useMemo, useRef } from 'react';
import { ErrorBox } from '../App';
import { api } from '../api/client';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format';
import { DagCanvas } from '../graph/DagCanvas';
import { useAction } from '../hooks';
import { RunNodeView, runNodeClasses, STATUS_LABEL, type RunNodeData } from '../graph/nodeViews';
import { href, navigate } from '../router';
import { totals, type NodeState } from '../run/runState';
import { useRun } from '../run/useRun';
import { useNow } from '../ticker';
import { NEEDS_RUN } from './access';
import { NodePanel } from './NodePanel';

export function RunView({ id, node, tab }: { id: string; node: string | undefined; tab: string | undefined }) {
  const live = useRun(id);
  const { state } = live;
  const action = useAction();

  // The canvas shows the workflow's own nodes; inner nodes of composed workflows are listed in
  // their outer node's panel.
  const ids = useMemo(() => (state ? state.order.filter((n) => !n.includes('/')) : []), [state?.order]);
  const edges = useMemo(
    () => (state ? ids.flatMap((to) => state.nodes[to].needs.filter((from) => from in state.nodes).map((from) => ({ from, to }))) : []),
    // Needs come from the snapshot only; statuses do not change edges.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ids],
  );
  const wrappers = useRef(new WeakMap<NodeState, RunNodeData>());
  const data = useCallback(
    (n: string): RunNodeData => {
      const ns = state!.nodes[n];
      let d = wrappers.current.get(ns);
      if (!d) {
        d = { node: ns };
        wrappers.current.set(ns, d);
      }
      return d;
    },
    [state],
  );

  const classes = useCallback((n: string) => runNodeClasses(state!.nodes[n]), [state]);
  // Stable across the state updates events bring, as the canvas's own callbacks then are.
  const select = useCallback((n: string | undefined) => navigate(href.run(id, n, n ? tab : undefined), true), [id, tab]);

  // The events that follow an action (cancel, approve, …) arrive on the stream: no refetch.
  const act = (f: () => Promise<unknown>) => action.run(f);
  const mayRun = api.may('run');

  if (!state) {
    return (
      <section>
        <h1>Run {id}</h1>
        {live.error ? <ErrorBox error={live.error} /> : <p className="muted">Loading…</p>}
      </section>
    );
  }
  const t = totals(state);
  const failed = (t.counts.failed ?? 0) + (t.counts.error ?? 0) + (t.counts.timed_out ?? 0) + (t.counts.budget_exceeded ?? 0);
  return (
    <section className="run-view" aria-labelledby="run-title">
      <div className="page-head">
        <h1 id="run-title">
          <a href={href.runs({ workflow: state.workflow })}>{state.workflow}</a> · <span className="mono">{state.id}</span>
        </h1>
        <span className={`pill status-${state.status}`}>{state.status}</span>
        <span className={`stream ${live.stream}`}>{live.stream === 'open' ? 'live' : live.stream === 'connecting' ? 'connecting…' : 'disconnected'}</span>
        <div className="actions" title={mayRun ? undefined : NEEDS_RUN}>
          {state.status === 'running' && (
            <button type="button" disabled={action.busy || !mayRun} onClick={() => act(() => api.cancel(id))}>
              Cancel
            </button>
          )}
          {state.status !== 'running' && state.status !== 'succeeded' && (
            <button type="button" disabled={action.busy || !mayRun} onClick={() => act(() => api.resume(id))}>
              Resume
            </button>
          )}
          {state.status !== 'running' && failed > 0 && (
            <button type="button" disabled={action.busy || !mayRun} onClick={() => act(() => api.retry(id))}>
              Retry failed
            </button>
          )}
        </div>
      </div>
      <RunTotals state={state} />
      {state.reason && <p className="reason">{state.reason}</p>}
      <ErrorBox error={action.error ?? live.error} />
      <div className={`split${node ? ' with-panel' : ''}`}>
        <DagCanvas
          ids={ids}
          edges={edges}
          data={data}
          component={RunNodeView}
          classes={classes}
          selected={node}
          onSelect={select}
          label={`Run ${id}`}
          onLayout={recordLayout}
        />
        {node && state.nodes[node] && (
          <NodePanel run={state} node={state.nodes[node]} logs={live.logs} tab={tab} onClose={() => navigate(href.run(id), true)} />
        )}
      </div>
    </section>
  );
}

/** The last layout's time, for the browser benchmark (bench/web-bench.mjs). */
function recordLayout(ms: number, count: number): void {
  (window as unknown as { __orchestraLayout?: unknown }).__orchestraLayout = { ms, count };
}

function RunTotals({ state }: { state: import('../run/runState').RunState }) {
  const t = totals(state);
  const running = state.status === 'running' && state.started !== null;
  const now = useNow(running);
  const elapsed = state.started === null ? null : (state.finished ?? (running ? now : state.started)) - state.started;
  return (
    <dl className="totals">
      <div>
        <dt>Started</dt>
        <dd>{formatTime(state.started)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{formatDuration(elapsed)}</dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd>
          {formatTokens(t.inputTokens)} in · {formatTokens(t.outputTokens)} out
        </dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>{formatCost(t.costUsd, t.costEstimated)}</dd>
      </div>
      <div>
        <dt>Nodes</dt>
        <dd>
          {Object.entries(t.counts)
            .map(([s, n]) => `${n} ${STATUS_LABEL[s as keyof typeof STATUS_LABEL] ?? s}`)
            .join(', ')}
        </dd>
      </div>
    </dl>
  );
}
