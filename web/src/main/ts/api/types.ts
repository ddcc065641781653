/**
 * The wire types of the server's API v1, in one file. The run events and the run snapshot are
 * generated from core's JSON Schemas (event.schema.json, run-state.schema.json; see
 * scripts/schema-types.mjs) and re-exported here; the rest follows the components of the server's
 * OpenAPI document (server/src/main/resources/dev/orchestra/server/openapi.json).
 */
import { EVENT_TYPES } from './generated/event';
import type { NodeStatus, RunStatus, Usage } from './generated/event';

export type {
  CheckFinishedEvent,
  NodeApprovedEvent,
  NodeCheckingEvent,
  NodeFinishedEvent,
  NodeOutputEvent,
  NodeRateLimitedEvent,
  NodeRejectedEvent,
  NodeRetryingEvent,
  NodeStartedEvent,
  NodeStatus,
  NodeWaitingApprovalEvent,
  RunEvent,
  RunFinishedEvent,
  RunStartedEvent,
  RunStatus,
  Usage,
} from './generated/event';
export type { ApprovalDecision, ApprovalState, NodeSnapshot } from './generated/runState';
import type { RunSnapshot as RunStateSnapshot } from './generated/runState';

/**
 * A run's status as the server shows it: the events' statuses, and `interrupted` for a run whose
 * events say it runs but that no process runs any more (resume it).
 */
export type ServerRunStatus = RunStatus | 'interrupted';

/** `GET /runs/{id}`: core's run state (run-state.schema.json) with the server's status word. */
export type RunSnapshot = Omit<RunStateSnapshot, 'status'> & { readonly status: ServerRunStatus };

/** An event type this UI does not know yet (the server is newer): the view reloads the snapshot. */
export interface UnknownEvent {
  readonly seq: number;
  readonly time: string;
  readonly run: string;
  readonly type: string;
  readonly node?: string;
}

/** The event types of the schema this UI was built with (the SSE event names it listens for). */
export const KNOWN_EVENT_TYPES: readonly string[] = EVENT_TYPES;

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
  readonly description?: string | null;
  readonly updated?: string | null;
  readonly problems_count: number;
}

export interface StoredWorkflow {
  readonly name: string;
  readonly yaml: string;
  readonly problems: readonly Problem[];
}

/** A token's scope: read < run < admin. */
export type Scope = 'read' | 'run' | 'admin';

/** `GET`/`POST /session`: who the page is logged in as; the CSRF token of a cookie session. */
export interface Session {
  readonly token_name: string;
  readonly scope: Scope;
  readonly csrf_token: string | null;
}

/** The answer to a run's submit, cancel, resume and retry. */
export interface Accepted {
  readonly id: string;
  readonly status: 'running' | 'cancelling';
}

/** The answer to an approve or reject. */
export interface DecisionAnswer {
  readonly run: string;
  readonly node: string;
  readonly decision: { readonly approved: boolean; readonly by: string; readonly comment: string | null };
  /** False when the gate had been decided already (the first decision is final). */
  readonly changed: boolean;
}

export interface LibraryAgent {
  readonly name: string;
  /** What to write in `uses:`, e.g. `./review.yaml`. */
  readonly uses: string;
  readonly description?: string | null;
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
  readonly status: ServerRunStatus;
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

export interface CheckResult {
  readonly check: string;
  readonly passed: boolean;
  readonly output: string | null;
}

export interface Attempt {
  readonly attempt: number;
  readonly started: string | null;
  readonly finished: string | null;
  readonly status: NodeStatus;
  readonly checks: readonly CheckResult[];
  readonly output: string | null;
  /** Its named outputs (`outputs:` of the node), by name. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly usage: Usage | null;
}

export type AttemptText = 'prompt' | 'transcript' | 'stdout' | 'stderr';
