/** The side panel of one node of a run: live log, prompt, checks, output, diff, usage, approval. */
import { useState } from 'react';
import { ErrorBox } from '../App';
import { api } from '../api/client';
import type { Attempt, AttemptText } from '../api/types';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format';
import { STATUS_LABEL } from '../graph/nodeViews';
import { useAction, useFetch } from '../hooks';
import { href, navigate } from '../router';
import type { LogBuffer } from '../run/logBuffer';
import { TERMINAL, type NodeState, type RunState } from '../run/runState';
import { LiveLog, Lines, textLines } from './LogView';
import { NEEDS_RUN } from './access';

const TABS = ['log', 'prompt', 'checks', 'output', 'diff', 'usage'] as const;
type Tab = (typeof TABS)[number];

export function NodePanel(props: { run: RunState; node: NodeState; logs: LogBuffer; tab: string | undefined; onClose: () => void }) {
  const { run, node, logs } = props;
  const tab: Tab = (TABS as readonly string[]).includes(props.tab ?? '') ? (props.tab as Tab) : 'log';
  const [attempt, setAttempt] = useState<number | null>(null);
  // Attempts are fetched again when the node's status or attempt changes.
  const { data: attempts, error } = useFetch(() => api.attempts(run.id, node.id), [run.id, node.id, node.status, node.attempt]);

  const shown = attempt ?? (attempts !== undefined && attempts.length > 0 ? attempts[attempts.length - 1].attempt : node.attempt);
  const current = attempts?.find((a) => a.attempt === shown);
  const inner = run.order.filter((id) => id.startsWith(`${node.id}/`));
  return (
    <aside className="panel" aria-label={`node ${node.id}`}>
      <div className="panel-head">
        <h2>{node.id}</h2>
        <span className={`pill status-${node.status}`}>{STATUS_LABEL[node.status] ?? node.status}</span>
        <button type="button" className="close" aria-label="close the panel" onClick={props.onClose}>
          ×
        </button>
      </div>
      {node.reason && <p className="reason">{node.reason}</p>}
      {node.status === 'waiting_approval' && <ApprovalBox run={run.id} node={node} />}
      {attempts && attempts.length > 1 && (
        <label className="attempt-pick">
          Attempt
          <select value={shown} onChange={(e) => setAttempt(Number(e.target.value))}>
            {attempts.map((a) => (
              <option key={a.attempt} value={a.attempt}>
                {a.attempt} · {a.status}
              </option>
            ))}
          </select>
        </label>
      )}
      <div role="tablist" className="tabs">
        {TABS.map((t) => (
          <a key={t} role="tab" aria-selected={t === tab} href={href.run(run.id, node.id, t)} onClick={(e) => (e.preventDefault(), navigate(href.run(run.id, node.id, t), true))}>
            {t}
          </a>
        ))}
      </div>
      <ErrorBox error={error} />
      <div className="tab-body" role="tabpanel">
        {tab === 'log' && <LogTab run={run.id} node={node} attempt={shown} logs={logs} />}
        {tab === 'prompt' && shown > 0 && <TextTab run={run.id} node={node.id} attempt={shown} kind="prompt" />}
        {tab === 'checks' && <ChecksTab node={node} attempt={current} />}
        {tab === 'output' && <pre className="text">{current?.output ?? node.output ?? (TERMINAL.has(node.status) ? 'No output.' : 'Not finished yet.')}</pre>}
        {tab === 'diff' && <DiffTab run={run.id} node={node} />}
        {tab === 'usage' && <UsageTab node={node} attempts={attempts ?? []} />}
        {shown === 0 && tab === 'prompt' && <p className="muted">Not started yet.</p>}
      </div>
      {inner.length > 0 && (
        <div className="inner">
          <h3>Inside {node.id}</h3>
          <ul>
            {inner.map((id) => (
              <li key={id}>
                <a href={href.run(run.id, id)}>{id.slice(node.id.length + 1)}</a> <span className={`pill status-${run.nodes[id].status}`}>{run.nodes[id].status}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  );
}

function LogTab({ run, node, attempt, logs }: { run: string; node: NodeState; attempt: number; logs: LogBuffer }) {
  const [full, setFull] = useState<{ attempt: number; lines: ReturnType<typeof textLines> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    Promise.all([api.attemptText(run, node.id, attempt, 'stdout'), api.attemptText(run, node.id, attempt, 'stderr')])
      .then(([out, err]) => setFull({ attempt, lines: [...textLines(out, 'stdout'), ...textLines(err, 'stderr')] }))
      .catch(setError);
  };
  return (
    <>
      {full && full.attempt === attempt ? <Lines lines={full.lines} /> : <LiveLog logs={logs} node={node.id} />}
      <ErrorBox error={error} />
      {attempt > 0 && (
        <button type="button" onClick={load}>
          Load the full stdout and stderr of attempt {attempt}
        </button>
      )}
    </>
  );
}

function TextTab({ run, node, attempt, kind }: { run: string; node: string; attempt: number; kind: AttemptText }) {
  const { data: text, error } = useFetch(() => api.attemptText(run, node, attempt, kind), [run, node, attempt, kind]);
  if (error) return <ErrorBox error={error} />;
  return text === undefined ? <p className="muted">Loading…</p> : <pre className="text">{text}</pre>;
}

function ChecksTab({ node, attempt }: { node: NodeState; attempt: Attempt | undefined }) {
  const checks = attempt?.checks && attempt.checks.length > 0 ? attempt.checks : node.checks;
  if (checks.length === 0) return <p className="muted">No check has run{attempt ? ` in attempt ${attempt.attempt}` : ''}.</p>;
  return (
    <ol className="checks">
      {checks.map((c, i) => (
        <li key={i} className={c.passed ? 'passed' : 'failed'}>
          <div>
            <strong>{c.passed ? '✓' : '✗'}</strong> {c.check}
          </div>
          {c.output && <pre className="text">{c.output}</pre>}
        </li>
      ))}
    </ol>
  );
}

function DiffTab({ run, node }: { run: string; node: NodeState }) {
  const { data: diff, error } = useFetch(() => api.diff(run, node.id), [run, node.id, node.status]);
  if (error) return <ErrorBox error={error} />;
  if (diff === undefined) return <p className="muted">Loading…</p>;
  if (diff.trim() === '') return <p className="muted">No changes in this node's branch.</p>;
  return (
    <pre className="text diff">
      {diff.split('\n').map((line, i) => (
        <div key={i} className={line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined}>
          {line}
        </div>
      ))}
    </pre>
  );
}

function UsageTab({ node, attempts }: { node: NodeState; attempts: readonly Attempt[] }) {
  return (
    <table className="list">
      <thead>
        <tr>
          <th>Attempt</th>
          <th>Started</th>
          <th>Status</th>
          <th className="num">Input</th>
          <th className="num">Output</th>
          <th className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={a.attempt}>
            <td>{a.attempt}</td>
            <td>{formatTime(a.started)}</td>
            <td>{a.status}</td>
            <td className="num">{formatTokens(a.usage?.input_tokens)}</td>
            <td className="num">{formatTokens(a.usage?.output_tokens)}</td>
            <td className="num">{formatCost(a.usage?.cost_usd, a.usage?.cost_estimated)}</td>
          </tr>
        ))}
        <tr className="total">
          <td>node</td>
          <td>{formatDuration(node.durationMs)}</td>
          <td>{node.status}</td>
          <td className="num">{formatTokens(node.usage?.input_tokens)}</td>
          <td className="num">{formatTokens(node.usage?.output_tokens)}</td>
          <td className="num">{formatCost(node.usage?.cost_usd, node.usage?.cost_estimated)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Approve or reject; the box goes when the stream brings the decision's event. */
function ApprovalBox({ run, node }: { run: string; node: NodeState }) {
  const [comment, setComment] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run: act } = useAction();
  const mayRun = api.may('run');
  const decide = (approve: boolean) => act(() => (approve ? api.approve(run, node.id, comment) : api.reject(run, node.id, comment)), () => setSent(true));
  return (
    <div className="approval">
      <p>
        <strong>Waiting for approval.</strong> {node.approval?.message}
      </p>
      {node.approval?.approvers && node.approval.approvers.length > 0 && <p className="muted">Approvers: {node.approval.approvers.join(', ')}</p>}
      <label>
        Comment
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
      </label>
      <ErrorBox error={error} />
      <div className="actions" title={mayRun ? undefined : NEEDS_RUN}>
        <button type="button" disabled={busy || sent || !mayRun} onClick={() => decide(true)}>
          Approve
        </button>
        <button type="button" className="danger" disabled={busy || sent || !mayRun} onClick={() => decide(false)}>
          Reject
        </button>
      </div>
      {sent && <p className="muted">Decision sent; waiting for the run to take it up…</p>}
    </div>
  );
}
