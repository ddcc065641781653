/**
 * The wire types of the server's API v1 (docs/api-draft.md), in one file. The run events and the
 * run snapshot are generated from core's JSON Schemas (event.schema.json, run-state.schema.json;
 * see scripts/schema-types.mjs) and re-exported here; the rest is hand-written until the server
 * publishes its OpenAPI document.
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
export type { ApprovalDecision, ApprovalState, NodeSnapshot, RunSnapshot } from './generated/runState';

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
