import { ErrorBox } from '../App';
import { api } from '../api/client';
import { formatTime } from '../format';
import { useFetch } from '../hooks';
import { href } from '../router';

export function WorkflowsList() {
  const { data: workflows, error } = useFetch(() => api.workflows(), []);
  return (
    <section aria-labelledby="wf-title">
      <div className="page-head">
        <h1 id="wf-title">Workflows</h1>
        <a className="button" href={href.editor()}>
          New workflow
        </a>
      </div>
      <ErrorBox error={error} />
      <table className="list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            <th>Updated</th>
            <th>Problems</th>
          </tr>
        </thead>
        <tbody>
          {(workflows ?? []).map((w) => (
            <tr key={w.name}>
              <td>
                <a href={href.editor(w.name)}>{w.name}</a>
              </td>
              <td>{w.description ?? ''}</td>
              <td>{formatTime(w.updated)}</td>
              <td>{w.problems_count > 0 ? <span className="pill status-failed">{w.problems_count}</span> : <span className="muted">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {workflows && workflows.length === 0 && <p className="muted">No workflows stored yet: create one.</p>}
    </section>
  );
}
