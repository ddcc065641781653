/**
 * The wire types of the server's API v1 (docs/api-draft.md) and of the run events (SPEC §5, as
 * core's EventJson writes them). Hand-written for now and kept in this one file: when the event
 * JSON Schema and the OpenAPI document are published, generated types replace this file.
 */

export type NodeStatus =
  | 'pending'
  | 'running'
  | 'checking'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'error'
  | 'timed_out'
  | 'budget_exceeded'
  | 'rate_limited'
  | 'waiting_approval'
  | 'cancelled'
  | 'skipped';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Usage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: number;
  /** True when the cost comes from a price table rather than the provider. */
  readonly cost_estimated?: boolean;
}

interface EventBase {
  readonly seq: number;
  /** ISO-8601. */
  readonly time: string;
  readonly run: string;
}

interface NodeEventBase extends EventBase {
  /** The node id; inner nodes of a composed workflow are `outer/inner`. */
  readonly node: string;
}

export interface RunStartedEvent extends EventBase {
  readonly type: 'run_started';
  readonly workflow?: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly resumed?: boolean;
}
export interface NodeStartedEvent extends NodeEventBase {
  readonly type: 'node_started';
  readonly attempt: number;
}
export interface NodeOutputEvent extends NodeEventBase {
  readonly type: 'node_output';
  readonly stream?: string;
  readonly text?: string;
}
export interface NodeCheckingEvent extends NodeEventBase {
  readonly type: 'node_checking';
  readonly attempt: number;
}
export interface CheckFinishedEvent extends NodeEventBase {
  readonly type: 'check_finished';
  readonly check?: string;
  readonly passed: boolean;
  readonly output?: string;
}
export interface NodeRetryingEvent extends NodeEventBase {
  readonly type: 'node_retrying';
  readonly attempt: number;
  readonly delay_ms: number;
  readonly reason?: string;
}
export interface NodeRateLimitedEvent extends NodeEventBase {
  readonly type: 'node_rate_limited';
  readonly attempt: number;
  readonly delay_ms: number;
  readonly reason?: string;
}
export interface NodeFinishedEvent extends NodeEventBase {
  readonly type: 'node_finished';
  readonly status: NodeStatus;
  readonly attempts: number;
  readonly duration_ms: number;
  readonly reason?: string;
  readonly usage?: Usage;
  readonly output?: string;
}
export interface RunFinishedEvent extends EventBase {
  readonly type: 'run_finished';
  readonly status: RunStatus;
  readonly usage?: Usage;
  readonly reason?: string;
}

/** An event type this UI does not know yet (the server is newer): the view reloads the snapshot. */
export interface UnknownEvent extends EventBase {
  readonly type: string;
  readonly node?: string;
}

export type RunEvent =
  | RunStartedEvent
  | NodeStartedEvent
  | NodeOutputEvent
  | NodeCheckingEvent
  | CheckFinishedEvent
  | NodeRetryingEvent
  | NodeRateLimitedEvent
  | NodeFinishedEvent
  | RunFinishedEvent;

export const KNOWN_EVENT_TYPES: readonly string[] = [
  'run_started',
  'node_started',
  'node_output',
  'node_checking',
  'check_finished',
  'node_retrying',
  'node_rate_limited',
  'node_finished',
  'run_finished',
];

/** `{file, line, column, message, hint}`, exactly `orchestra validate`'s problems. */
export interface Problem {
  readonly file: string | null;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string | null;
}

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly problems?: readonly Problem[] };
}

export interface WorkflowSummary {
  readonly name: string;
  readonly description?: string;
  readonly updated?: string;
  readonly problems_count: number;
}

export interface StoredWorkflow {
  readonly name: string;
  readonly yaml: string;
  readonly problems: readonly Problem[];
}

export interface LibraryAgent {
  readonly name: string;
  readonly description?: string;
  readonly inputs?: Readonly<Record<string, { description?: string; required?: boolean; default?: unknown }>>;
  readonly outputs?: readonly string[];
}

export interface NodeCounts {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly running: number;
}

export interface RunSummary {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly started: string | null;
  readonly finished: string | null;
  readonly duration_ms: number | null;
  readonly usage: Usage | null;
  readonly nodes: NodeCounts;
}

export interface RunList {
  readonly runs: readonly RunSummary[];
  readonly next_cursor: string | null;
}

export interface Approval {
  readonly message?: string;
  readonly approvers?: readonly string[];
}

export interface NodeSnapshot {
  readonly id: string;
  readonly needs: readonly string[];
  readonly agent?: string;
  readonly status: NodeStatus;
  readonly attempt: number;
  readonly attempts?: number;
  readonly started: string | null;
  readonly duration_ms: number | null;
  readonly usage: Usage | null;
  readonly reason: string | null;
  readonly approval: Approval | null;
}

/** `GET /runs/{id}`: the run's state at `last_seq`, all nodes in topological order. */
export interface RunSnapshot {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly started: string | null;
  readonly finished: string | null;
  readonly reason: string | null;
  readonly inputs: Readonly<Record<string, string>>;
  readonly usage: Usage | null;
  readonly last_seq: number;
  readonly nodes: readonly NodeSnapshot[];
}

export interface CheckResult {
  readonly check: string;
  readonly passed: boolean;
  readonly output: string;
}

export interface Attempt {
  readonly attempt: number;
  readonly started: string | null;
  readonly finished: string | null;
  readonly status: NodeStatus;
  readonly checks: readonly CheckResult[];
  readonly output: string | null;
  readonly usage: Usage | null;
}

export type AttemptText = 'prompt' | 'transcript' | 'stdout' | 'stderr';
