/**
 * The state the run view shows, folded from the `GET /runs/{id}` snapshot and the run's events
 * (SPEC §5) that follow it. Pure functions over immutable values: a batch of events gives a new
 * state in which only the nodes the batch touched are new objects, so memoised node views redraw
 * only those.
 */
import type {
  ApprovalState,
  CheckResult,
  NodeSnapshot,
  NodeStatus,
  RunEvent,
  RunSnapshot,
  ServerRunStatus,
  UnknownEvent,
  Usage,
} from '../api/types';
import { KNOWN_EVENT_TYPES } from '../api/types';

export interface NodeState {
  readonly id: string;
  readonly needs: readonly string[];
  readonly agent: string | undefined;
  readonly status: NodeStatus;
  /** The current (or last) attempt; 0 before the first. */
  readonly attempt: number;
  /** Epoch ms of the node's start (its first attempt, or the first after a resume), or null. */
  readonly started: number | null;
  /** Its duration once finished, else null (the view shows elapsed time from `started`). */
  readonly durationMs: number | null;
  readonly usage: Usage | null;
  readonly reason: string | null;
  readonly output: string | null;
  /** The last line it printed (output, check verdict or reason), or ''. */
  readonly lastLine: string;
  /** Check results of the current attempt, in the order they finished. */
  readonly checks: readonly CheckResult[];
  /** Its approval gate (question, approvers, decision) once an event or the snapshot named it. */
  readonly approval: ApprovalState | null;
  /** Epoch ms at which a retry or rate-limit wait ends, while it lasts. */
  readonly waitUntil: number | null;
}

export interface RunState {
  readonly id: string;
  readonly workflow: string;
  readonly status: ServerRunStatus;
  readonly started: number | null;
  readonly finished: number | null;
  readonly reason: string | null;
  readonly inputs: Readonly<Record<string, string>>;
  /** The run's usage as the server reported it (the snapshot's, or `run_finished`'s). */
  readonly usage: Usage | null;
  /** The sequence number of the last event folded in. */
  readonly lastSeq: number;
  /** Node ids: the snapshot's topological order, then nodes first named by events. */
  readonly order: readonly string[];
  readonly nodes: Readonly<Record<string, NodeState>>;
  /**
   * Set when the events cannot be folded faithfully (an event type this UI does not know, or a
   * gap in the sequence): the view fetches a fresh snapshot.
   */
  readonly stale: boolean;
}

/** Statuses after which a node does not change again in this run. */
export const TERMINAL: ReadonlySet<NodeStatus> = new Set<NodeStatus>([
  'succeeded',
  'failed',
  'error',
  'timed_out',
  'budget_exceeded',
  'cancelled',
  'skipped',
]);

/** Statuses in which time is passing for the node (the view shows its elapsed time). */
export const ACTIVE: ReadonlySet<NodeStatus> = new Set<NodeStatus>(['running', 'checking', 'retrying', 'rate_limited', 'waiting_approval']);

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function nodeFromSnapshot(n: NodeSnapshot): NodeState {
  return {
    id: n.id,
    needs: n.needs ?? [],
    agent: n.agent ?? undefined,
    status: n.status,
    attempt: n.attempt ?? 0,
    started: ms(n.started),
    durationMs: n.duration_ms ?? null,
    usage: n.usage,
    reason: n.reason,
    output: null,
    lastLine: n.last_line || (n.reason ?? ''),
    checks: [],
    approval: n.approval,
    waitUntil: ms(n.waiting_until),
  };
}

function newNode(id: string): NodeState {
  return {
    id,
    needs: [],
    agent: undefined,
    status: 'pending',
    attempt: 0,
    started: null,
    durationMs: null,
    usage: null,
    reason: null,
    output: null,
    lastLine: '',
    checks: [],
    approval: null,
    waitUntil: null,
  };
}

/** The state of a snapshot, before any event after it. */
export function fromSnapshot(s: RunSnapshot): RunState {
  const nodes: Record<string, NodeState> = {};
  for (const n of s.nodes) nodes[n.id] = nodeFromSnapshot(n);
  return {
    id: s.id,
    workflow: s.workflow ?? '',
    status: s.status,
    started: ms(s.started),
    finished: ms(s.finished),
    reason: s.reason ?? null,
    inputs: s.inputs ?? {},
    usage: s.usage,
    lastSeq: s.last_seq,
    order: s.nodes.map((n) => n.id),
    nodes,
    stale: false,
  };
}

/**
 * Folds a batch of events into the state. Events at or below `lastSeq` (already in the snapshot,
 * or delivered twice after a reconnect) are ignored, so the result is the same however the stream
 * was cut and resumed.
 */
export function applyEvents(state: RunState, events: readonly (RunEvent | UnknownEvent)[]): RunState {
  let run: Mutable<RunState> | null = null;
  let nodes: Record<string, NodeState> | null = null;
  let order: string[] | null = null;
  const draft = (): Mutable<RunState> => (run ??= { ...state });
  for (const e of events) {
    const current = run ?? state;
    if (e.seq <= current.lastSeq) continue;
    const r = draft();
    if (e.seq !== current.lastSeq + 1) r.stale = true;
    r.lastSeq = e.seq;
    if (!KNOWN_EVENT_TYPES.includes(e.type)) {
      r.stale = true;
      continue;
    }
    const event = e as RunEvent;
    const t = ms(event.time);
    if (event.type === 'run_started') {
      r.status = 'running';
      if (r.started === null) r.started = t;
      r.finished = null;
      if (event.workflow) r.workflow = event.workflow;
      if (event.inputs) r.inputs = event.inputs;
      continue;
    }
    if (event.type === 'run_finished') {
      r.status = event.status;
      r.finished = t;
      r.reason = event.reason ?? null;
      r.usage = event.usage ?? r.usage;
      continue;
    }
    nodes ??= { ...state.nodes };
    let node = nodes[event.node];
    if (!node) {
      node = newNode(event.node);
      order ??= [...state.order];
      order.push(event.node);
    }
    nodes[event.node] = foldNode(node, event, t);
  }
  if (!run) return state;
  const result = run as Mutable<RunState>;
  if (nodes) result.nodes = nodes;
  if (order) result.order = order;
  return result;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function foldNode(n: NodeState, e: Exclude<RunEvent, { type: 'run_started' | 'run_finished' }>, t: number | null): NodeState {
  switch (e.type) {
    case 'node_started':
      return {
        ...n,
        status: 'running',
        attempt: e.attempt,
        started: n.started === null || TERMINAL.has(n.status) ? t : n.started,
        durationMs: null,
        reason: null,
        checks: [],
        waitUntil: null,
      };
    case 'node_output': {
      const line = lastLineOf(e.text ?? '');
      return line === '' ? n : { ...n, lastLine: line };
    }
    case 'node_checking':
      return { ...n, status: 'checking', attempt: e.attempt };
    case 'check_finished':
      return {
        ...n,
        checks: [...n.checks, { check: e.check ?? '', passed: e.passed, output: e.output ?? '' }],
        lastLine: `check '${e.check ?? ''}' ${e.passed ? 'passed' : 'failed'}`,
      };
    case 'node_retrying':
      return {
        ...n,
        status: 'retrying',
        reason: e.reason ?? null,
        lastLine: `retrying: ${lastLineOf(e.reason ?? '')}`,
        waitUntil: t === null ? null : t + e.delay_ms,
      };
    case 'node_rate_limited':
      return {
        ...n,
        status: 'rate_limited',
        lastLine: `rate limited: ${lastLineOf(e.reason ?? '')}`,
        waitUntil: t === null ? null : t + e.delay_ms,
      };
    case 'node_finished':
      return {
        ...n,
        status: e.status,
        attempt: e.attempts,
        durationMs: e.duration_ms,
        usage: e.usage ?? null,
        reason: e.reason ?? null,
        output: e.output ?? null,
        lastLine: e.reason ? lastLineOf(e.reason) : n.lastLine,
        waitUntil: null,
      };
    case 'node_waiting_approval':
      return {
        ...n,
        status: 'waiting_approval',
        approval: { message: e.message ?? null, approvers: e.approvers, decision: null },
        lastLine: `waiting for approval: ${(e.message ?? '').trim().replace(/\s+/g, ' ')}`,
      };
    case 'node_approved':
    case 'node_rejected': {
      const verdict = e.type === 'node_approved' ? 'approved' : 'rejected';
      const gate = n.approval ?? { message: null, approvers: [], decision: null };
      return {
        ...n,
        // Approved, it queues for a slot; rejected, the node_finished that follows ends it.
        status: verdict === 'approved' ? 'pending' : n.status,
        approval: { ...gate, decision: { verdict, by: e.by ?? null, comment: e.comment ?? null, decided_at: e.decided_at ?? null } },
        lastLine: `${verdict} by ${e.by ?? ''}`,
      };
    }
    default:
      return unhandled(e);
  }
}

/** Fails the type check when the schema has a node event this reducer does not fold. */
function unhandled(e: never): never {
  throw new Error(`no rule for event ${JSON.stringify(e)}`);
}

function lastLineOf(text: string): string {
  const t = text.trim();
  const nl = t.lastIndexOf('\n');
  return (nl < 0 ? t : t.slice(nl + 1)).replace(/\t/g, ' ').trim();
}

export interface Totals {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly costEstimated: boolean;
  readonly counts: Readonly<Partial<Record<NodeStatus, number>>>;
}

/**
 * The run's totals: tokens and cost as the server reported them once the run finished, else the
 * sum over its finished nodes; and how many nodes are in each status.
 */
export function totals(state: RunState): Totals {
  const counts: Partial<Record<NodeStatus, number>> = {};
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let costEstimated = false;
  for (const id of state.order) {
    const n = state.nodes[id];
    counts[n.status] = (counts[n.status] ?? 0) + 1;
    if (n.usage && !id.includes('/')) {
      inputTokens += n.usage.input_tokens;
      outputTokens += n.usage.output_tokens;
      costUsd += n.usage.cost_usd;
      costEstimated ||= n.usage.cost_estimated === true;
    }
  }
  const u = state.usage;
  if (u && (state.status !== 'running' || u.input_tokens + u.output_tokens > inputTokens + outputTokens)) {
    return { inputTokens: u.input_tokens, outputTokens: u.output_tokens, costUsd: u.cost_usd, costEstimated: u.cost_estimated === true, counts };
  }
  return { inputTokens, outputTokens, costUsd, costEstimated, counts };
}
