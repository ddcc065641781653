/**
 * The runs list kept current by the server-wide event stream (`GET /events`): run starts and
 * ends and node status changes of all runs. Runs already listed are updated in place; a run the
 * list does not hold yet asks for a reload of the list (so that filters and paging stay the
 * server's), which `applyGlobalEvents` reports rather than guessing the new run's summary; so
 * does a `resync` event (the server no longer holds the events after the last one seen).
 */
import type { NodeStatus, RunSummary } from '../api/types';

export interface GlobalEvent {
  readonly seq: number;
  readonly time: string;
  readonly run: string;
  readonly type: string;
  readonly node?: string;
  readonly attempt?: number;
  readonly status?: string;
  readonly workflow?: string;
  readonly usage?: RunSummary['usage'];
}

/** The event types the server-wide stream carries (the server's EventHub.GLOBAL_TYPES). */
export const GLOBAL_EVENT_TYPES: readonly string[] = [
  'run_started',
  'run_finished',
  'node_started',
  'node_checking',
  'node_retrying',
  'node_rate_limited',
  'node_waiting_approval',
  'node_approved',
  'node_rejected',
  'node_finished',
];

const FAILED: ReadonlySet<string> = new Set<NodeStatus>(['failed', 'error', 'timed_out', 'budget_exceeded']);

export interface ListUpdate {
  readonly runs: readonly RunSummary[];
  /** A run not in the list started: fetch the list again. */
  readonly reload: boolean;
}

export function applyGlobalEvents(runs: readonly RunSummary[], events: readonly GlobalEvent[]): ListUpdate {
  let list: RunSummary[] | null = null;
  let reload = false;
  const index = new Map(runs.map((r, i) => [r.id, i]));
  for (const e of events) {
    if (e.type === 'resync') {
      reload = true;
      continue;
    }
    const i = index.get(e.run);
    if (i === undefined) {
      if (e.type === 'run_started') reload = true;
      continue;
    }
    list ??= [...runs];
    list[i] = foldSummary(list[i], e);
  }
  return { runs: list ?? runs, reload };
}

function foldSummary(r: RunSummary, e: GlobalEvent): RunSummary {
  switch (e.type) {
    case 'run_started':
      return { ...r, status: 'running', finished: null, duration_ms: null, started: r.started ?? e.time };
    case 'run_finished': {
      const started = r.started ? Date.parse(r.started) : NaN;
      const finished = Date.parse(e.time);
      return {
        ...r,
        status: (e.status as RunSummary['status']) ?? r.status,
        finished: e.time,
        duration_ms: Number.isNaN(started) ? r.duration_ms : finished - started,
        usage: e.usage ?? r.usage,
        nodes: { ...r.nodes, running: 0 },
      };
    }
    case 'node_started':
      return e.attempt === undefined || e.attempt === 1 ? { ...r, nodes: { ...r.nodes, running: r.nodes.running + 1 } } : r;
    case 'node_finished': {
      const n = r.nodes;
      const status = e.status ?? '';
      const wasRunning = status !== 'skipped' && n.running > 0 ? 1 : 0;
      return {
        ...r,
        nodes: {
          ...n,
          running: n.running - wasRunning,
          succeeded: n.succeeded + (status === 'succeeded' ? 1 : 0),
          failed: n.failed + (FAILED.has(status) ? 1 : 0),
        },
      };
    }
    default:
      return r;
  }
}
