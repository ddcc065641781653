/** The boxes drawn for nodes: a run's node with its live figures, and an editor's node. */
import type { NodeStatus } from '../api/types';
import { formatCost, formatDuration, formatTokens } from '../format';
import { ACTIVE, type NodeState } from '../run/runState';
import { useNow } from '../ticker';

export const STATUS_LABEL: Readonly<Record<NodeStatus, string>> = {
  pending: 'pending',
  running: 'running',
  checking: 'checking',
  retrying: 'retrying',
  succeeded: 'succeeded',
  failed: 'failed',
  error: 'error',
  timed_out: 'timed out',
  budget_exceeded: 'budget exceeded',
  rate_limited: 'rate limited',
  waiting_approval: 'waiting for approval',
  cancelled: 'cancelled',
  skipped: 'skipped',
};

export type RunNodeData = { readonly node: NodeState };

/** The classes that colour a run's node box (and its picture on the overview canvas). */
export function runNodeClasses(n: NodeState): string {
  return `status-${n.status}`;
}

export function RunNodeView({ data, selected }: { id: string; data: RunNodeData; selected: boolean }) {
  const n = data.node;
  const active = ACTIVE.has(n.status) && n.started !== null;
  const now = useNow(active);
  const elapsed = n.durationMs ?? (active && n.started !== null ? Math.max(0, now - n.started) : null);
  const tokens = n.usage ? n.usage.input_tokens + n.usage.output_tokens : null;
  return (
    <div className={`dag-node ${runNodeClasses(n)}${selected ? ' selected' : ''}`} title={n.lastLine || undefined}>
      <div className="dag-node-head">
        <span className="dag-node-id">{n.id}</span>
        {n.attempt > 1 && (
          <span className="badge" title={`attempt ${n.attempt}`}>
            ×{n.attempt}
          </span>
        )}
      </div>
      <div className="dag-node-status">
        <span className="dot" aria-hidden="true" />
        {STATUS_LABEL[n.status] ?? n.status}
        {n.agent && <span className="muted"> · {n.agent}</span>}
      </div>
      <div className="dag-node-figures">
        <span title="elapsed">{formatDuration(elapsed)}</span>
        <span title="tokens (input + output)">{tokens === null ? '' : `${formatTokens(tokens)} tok`}</span>
        <span title="cost">{n.usage ? formatCost(n.usage.cost_usd, n.usage.cost_estimated) : ''}</span>
      </div>
    </div>
  );
}

export type EditNodeData = {
  readonly agent: string;
  readonly summary: string;
  readonly problems: number;
};

/** The classes that colour an editor's node box (and its picture on the overview canvas). */
export function editNodeClasses(d: EditNodeData): string {
  return `edit agent-${d.agent}`;
}

export function EditNodeView({ id, data, selected }: { id: string; data: EditNodeData; selected: boolean }) {
  return (
    <div className={`dag-node ${editNodeClasses(data)}${data.problems > 0 ? ' has-problems' : ''}${selected ? ' selected' : ''}`}>
      <div className="dag-node-head">
        <span className="dag-node-id">{id}</span>
        {data.problems > 0 && (
          <span className="badge problem" title={`${data.problems} problem${data.problems === 1 ? '' : 's'}`}>
            {data.problems} ⚠
          </span>
        )}
      </div>
      <div className="dag-node-status">{data.agent}</div>
      <div className="dag-node-summary">{data.summary}</div>
    </div>
  );
}
