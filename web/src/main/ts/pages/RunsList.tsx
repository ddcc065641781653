import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorBox } from '../App';
import { api, eventsUrl } from '../api/client';
import { subscribe, type StreamStatus } from '../api/events';
import type { RunSummary } from '../api/types';
import { formatCost, formatDuration, formatTime } from '../format';
import { href, navigate } from '../router';
import { applyGlobalEvents, GLOBAL_EVENT_TYPES, type GlobalEvent } from '../run/runList';

const STATUSES = ['', 'running', 'interrupted', 'succeeded', 'failed', 'cancelled'];
/** The server-wide stream's event names (GET /events); `resync` says it lost some: reload. */
const GLOBAL_TYPES = [...GLOBAL_EVENT_TYPES, 'resync'];

export function RunsList({ status, workflow }: { status: string; workflow: string }) {
  const [runs, setRuns] = useState<readonly RunSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const runsRef = useRef(runs);
  runsRef.current = runs;

  const load = useCallback(() => {
    api
      .runs({ status, workflow, limit: 50 })
      .then((r) => {
        setRuns(r.runs);
        setCursor(r.next_cursor);
        setError(null);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, [status, workflow]);

  useEffect(load, [load]);

  useEffect(() => {
    let reloadTimer: ReturnType<typeof setTimeout> | undefined;
    const sub = subscribe<GlobalEvent>(
      eventsUrl(null),
      (batch) => {
        const update = applyGlobalEvents(runsRef.current, batch);
        if (update.runs !== runsRef.current) setRuns(update.runs);
        if (update.reload) {
          clearTimeout(reloadTimer);
          reloadTimer = setTimeout(load, 300);
        }
      },
      setStream,
      GLOBAL_TYPES,
    );
    return () => {
      clearTimeout(reloadTimer);
      sub.close();
    };
  }, [load]);

  const more = () => {
    if (!cursor) return;
    api
      .runs({ status, workflow, limit: 50, cursor })
      .then((r) => {
        setRuns((old) => [...old, ...r.runs]);
        setCursor(r.next_cursor);
      })
      .catch(setError);
  };

  return (
    <section aria-labelledby="runs-title">
      <div className="page-head">
        <h1 id="runs-title">Runs</h1>
        <span className={`stream ${stream}`} title="live updates">
          {stream === 'open' ? 'live' : stream === 'connecting' ? 'connecting…' : 'disconnected'}
        </span>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => navigate(href.runs({ status: e.target.value, workflow }))}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Workflow
          <input
            type="search"
            defaultValue={workflow}
            placeholder="name"
            onKeyDown={(e) => e.key === 'Enter' && navigate(href.runs({ status, workflow: (e.target as HTMLInputElement).value }))}
            onBlur={(e) => e.target.value !== workflow && navigate(href.runs({ status, workflow: e.target.value }))}
          />
        </label>
      </form>
      <ErrorBox error={error} />
      <table className="list">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            <th>Workflow</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Nodes</th>
            <th className="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                <a href={href.run(r.id)}>{r.id}</a>
              </td>
              <td>
                <span className={`pill status-${r.status}`}>{r.status}</span>
              </td>
              <td>{r.workflow}</td>
              <td>{formatTime(r.started)}</td>
              <td>{formatDuration(r.duration_ms)}</td>
              <td className="muted">
                {r.nodes.succeeded}/{r.nodes.total} ok{r.nodes.failed > 0 ? `, ${r.nodes.failed} failed` : ''}
                {r.nodes.running > 0 ? `, ${r.nodes.running} running` : ''}
              </td>
              <td className="num">{formatCost(r.usage?.cost_usd, r.usage?.cost_estimated)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && runs.length === 0 && !error && <p className="muted">No runs{status || workflow ? ' match the filter' : ' yet'}.</p>}
      {cursor && (
        <button type="button" onClick={more}>
          Load more
        </button>
      )}
    </section>
  );
}
