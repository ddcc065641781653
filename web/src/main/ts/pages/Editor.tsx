/**
 * The workflow editor: canvas and form on one side, the YAML beside them, one text between them.
 * Every canvas or form action is an {@link Edit} applied to the text; typing in the YAML changes
 * the same text. The server validates the text as it changes (POST /validate) and each problem
 * is shown on its node and field, and in the YAML's gutter.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorBox } from '../App';
import { api, ApiError } from '../api/client';
import type { LibraryAgent, Problem } from '../api/types';
import { DagCanvas } from '../graph/DagCanvas';
import { editNodeClasses, EditNodeView, type EditNodeData } from '../graph/nodeViews';
import { href, navigate } from '../router';
import { applyEdit, freshId, type Edit } from '../workflow/edits';
import { AGENTS, readGraph, type GraphNode, type WorkflowGraph } from '../workflow/model';
import { placeProblems, problemText, type PlacedProblem } from '../workflow/problems';
import { setIn, YamlEditError } from '../workflow/yamlEdit';
import { NEEDS_RUN } from './access';
import { NodeForm } from './NodeForm';
import { RunDialog } from './RunDialog';
import { YamlPane } from './YamlPane';

const NEW_WORKFLOW = 'version: 1\nname: my-workflow\ndescription: What this workflow does.\nnodes: {}\n';
const VALIDATE_DELAY_MS = 400;

export function Editor({ name, node, view }: { name: string | undefined; node: string | undefined; view: 'canvas' | 'yaml' }) {
  const [text, setText] = useState<string | null>(name ? null : NEW_WORKFLOW);
  const [saved, setSaved] = useState<string | null>(name ? null : '');
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [validating, setValidating] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [library, setLibrary] = useState<readonly LibraryAgent[]>([]);
  const [running, setRunning] = useState(false);
  const [focusLine, setFocusLine] = useState<number | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!name) return;
    api
      .workflow(name)
      .then((w) => {
        setText(w.yaml);
        setSaved(w.yaml);
        setProblems(w.problems);
      })
      .catch(setError);
  }, [name]);
  useEffect(() => {
    api.library().then(setLibrary).catch(() => setLibrary([]));
  }, []);

  // Live validation, a moment after the last change.
  useEffect(() => {
    if (text === null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      setValidating(true);
      api
        .validate(text)
        .then((p) => !cancelled && (setProblems(p), setError(null)))
        .catch((e: unknown) => !cancelled && setError(e))
        .finally(() => !cancelled && setValidating(false));
    }, VALIDATE_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text]);

  const parsed = useMemo(() => (text === null ? null : readGraph(text)), [text]);
  // While the YAML has a syntax error the canvas keeps showing the last graph that parsed.
  const lastGood = useRef<WorkflowGraph | null>(null);
  if (parsed && parsed.syntaxErrors.length === 0) lastGood.current = parsed;
  const graph = lastGood.current;
  const placed = useMemo(() => (text && graph ? placeProblems(text, graph, problems) : []), [text, graph, problems]);

  const edit = useCallback(
    (e: Edit) => {
      setText((t) => {
        if (t === null) return t;
        try {
          const next = applyEdit(t, e);
          setEditError(null);
          if (e.kind === 'renameNode' && node === e.id) navigate(href.editor(name, e.to, view), true);
          if (e.kind === 'removeNode' && node === e.id) navigate(href.editor(name, undefined, view), true);
          return next;
        } catch (err) {
          setEditError(err instanceof YamlEditError ? err.message : String(err));
          return t;
        }
      });
    },
    [name, node, view],
  );

  const ids = useMemo(() => graph?.nodes.map((n) => n.id) ?? [], [graph]);
  const edges = useMemo(() => graph?.edges ?? [], [graph]);
  const nodeData = useNodeData(graph, placed);
  const nodeClasses = useCallback((id: string) => editNodeClasses(nodeData(id)), [nodeData]);

  if (text === null || !graph) {
    return <section>{error ? <ErrorBox error={error} /> : <p className="muted">Loading…</p>}</section>;
  }
  const selected = node ? graph.nodes.find((n) => n.id === node) : undefined;
  const dirty = text !== saved;
  const mayRun = api.may('run');
  const workflowProblems = placed.filter((p) => p.node === undefined);
  const addNode = (agent: string, uses?: string) => {
    const id = freshId(text, uses ? (uses.replace(/^.*\//, '').replace(/\.ya?ml$/, '') || 'node') : agent);
    const fields: Record<string, unknown> = uses ? { uses } : { agent };
    if (selected) fields.needs = [selected.id];
    edit({ kind: 'addNode', id, fields });
    navigate(href.editor(name, id, view), true);
  };
  const save = async (): Promise<string | null> => {
    const target = graph.name;
    if (!target) {
      setEditError('The workflow needs a name before it can be saved: set `name:` in the YAML.');
      return null;
    }
    setSaving(true);
    try {
      const r = await api.saveWorkflow(target, text);
      setSaved(text);
      setProblems(r.problems);
      setError(null);
      if (target !== name) navigate(href.editor(target, node, view), true);
      return target;
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.problems.length > 0) setProblems(e.problems);
      return null;
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="editor" aria-labelledby="editor-title">
      <div className="page-head">
        <h1 id="editor-title">{graph.name ?? name ?? 'New workflow'}</h1>
        <span className={`pill ${problems.length > 0 ? 'status-failed' : 'status-succeeded'}`} aria-live="polite">
          {validating ? 'validating…' : problems.length === 0 ? 'valid' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`}
        </span>
        {dirty && <span className="muted">unsaved changes</span>}
        <div className="actions" title={mayRun ? undefined : NEEDS_RUN}>
          <button type="button" onClick={() => void save()} disabled={saving || !dirty || !mayRun}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={() => setRunning(true)} disabled={problems.length > 0 || !mayRun}>
            {dirty ? 'Save and run…' : 'Run…'}
          </button>
        </div>
      </div>
      <div className="palette" role="toolbar" aria-label="add a node">
        <span className="muted">Add{selected ? ` after ${selected.id}` : ''}:</span>
        {AGENTS.map((a) => (
          <button key={a} type="button" className={`agent-${a}`} onClick={() => addNode(a)}>
            {a}
          </button>
        ))}
        {library.length > 0 && (
          <select aria-label="add a composed workflow from the library" value="" onChange={(e) => e.target.value && addNode('uses', e.target.value)}>
            <option value="">composed workflow…</option>
            {library.map((l) => (
              <option key={l.name} value={l.uses} title={l.description ?? undefined}>
                {l.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {editError && (
        <div className="banner error" role="alert">
          {editError}
        </div>
      )}
      {parsed && parsed.syntaxErrors.length > 0 && (
        <div className="banner error" role="alert">
          YAML syntax error at line {parsed.syntaxErrors[0].line}, column {parsed.syntaxErrors[0].column}: {parsed.syntaxErrors[0].message}. The canvas shows the last
          version that parsed; fix the YAML to edit in the form again.
        </div>
      )}
      <ErrorBox error={error} />
      <div className="split with-panel">
        <DagCanvas
          ids={ids}
          edges={edges}
          data={nodeData}
          classes={nodeClasses}
          component={EditNodeView}
          selected={node}
          onSelect={(n) => navigate(href.editor(name, n, view), true)}
          label={`Workflow ${graph.name ?? ''}`}
          onConnect={(from, to) => edit({ kind: 'connect', from, to })}
          onDisconnect={(from, to) => edit({ kind: 'disconnect', from, to })}
          onDelete={(id) => edit({ kind: 'removeNode', id })}
        />
        <aside className="panel" aria-label="editor panel">
          <div role="tablist" className="tabs">
            <a role="tab" aria-selected={view === 'canvas'} href={href.editor(name, node)} onClick={(e) => (e.preventDefault(), navigate(href.editor(name, node), true))}>
              {selected ? `Node ${selected.id}` : 'Workflow'}
            </a>
            <a role="tab" aria-selected={view === 'yaml'} href={href.editor(name, node, 'yaml')} onClick={(e) => (e.preventDefault(), navigate(href.editor(name, node, 'yaml'), true))}>
              YAML
            </a>
          </div>
          {view === 'yaml' ? (
            <YamlPane
              text={text}
              onChange={setText}
              focusLine={focusLine}
              diagnostics={[
                ...problems.map((p) => ({ line: p.line, column: p.column, message: problemText(p) })),
                ...(parsed?.syntaxErrors ?? []),
              ]}
            />
          ) : selected ? (
            <>
              <NodeForm node={selected} others={ids.filter((i) => i !== selected.id)} library={library} problems={placed} edit={edit} />
              <button type="button" className="danger" onClick={() => edit({ kind: 'removeNode', id: selected.id })}>
                Remove node {selected.id}
              </button>
            </>
          ) : (
            <WorkflowForm text={text} graph={graph} setText={setText} setEditError={setEditError} />
          )}
          {workflowProblems.length > 0 && (
            <div className="workflow-problems">
              <h3>Problems of the workflow</h3>
              <ul className="problems">
                {workflowProblems.map((p, i) => (
                  <li key={i}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        setFocusLine(p.problem.line);
                        navigate(href.editor(name, node, 'yaml'), true);
                      }}
                    >
                      line {p.problem.line}
                    </button>{' '}
                    {problemText(p.problem)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </aside>
      </div>
      {running && (
        <RunDialog
          inputs={graph.inputs}
          onCancel={() => setRunning(false)}
          onRun={async (inputs) => {
            const target = dirty ? await save() : (name ?? graph.name);
            if (!target) return;
            const r = await api.submit(target, inputs);
            navigate(href.run(r.id));
          }}
        />
      )}
    </section>
  );
}

/** Node data objects that stay identical while a node's agent, summary and problem count do. */
function useNodeData(graph: WorkflowGraph | null, placed: readonly PlacedProblem[]) {
  const cache = useRef(new Map<string, EditNodeData>());
  return useMemo(() => {
    const counts = new Map<string, number>();
    for (const p of placed) if (p.node) counts.set(p.node, (counts.get(p.node) ?? 0) + 1);
    const next = new Map<string, EditNodeData>();
    for (const n of graph?.nodes ?? []) {
      const d = { agent: n.agent, summary: summaryOf(n), problems: counts.get(n.id) ?? 0 };
      const old = cache.current.get(n.id);
      next.set(n.id, old && old.agent === d.agent && old.summary === d.summary && old.problems === d.problems ? old : d);
    }
    cache.current = next;
    return (id: string) => next.get(id)!;
  }, [graph, placed]);
}

function summaryOf(n: GraphNode): string {
  const text = n.uses ?? n.prompt ?? (typeof n.fields.command === 'string' ? n.fields.command : '') ?? '';
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

function WorkflowForm(props: { text: string; graph: WorkflowGraph; setText: (t: string) => void; setEditError: (e: string | null) => void }) {
  const { text, graph } = props;
  const set = (key: string, value: string) => {
    try {
      props.setText(setIn(text, [key], value === '' ? undefined : value));
      props.setEditError(null);
    } catch (e) {
      props.setEditError(e instanceof YamlEditError ? e.message : String(e));
    }
  };
  return (
    <form className="node-form" onSubmit={(e) => e.preventDefault()} aria-label="workflow fields">
      <div className="field">
        <label htmlFor="wf-name">Name</label>
        <input id="wf-name" value={graph.name ?? ''} onChange={(e) => set('name', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="wf-description">Description</label>
        <textarea id="wf-description" rows={2} value={graph.description ?? ''} onChange={(e) => set('description', e.target.value)} />
      </div>
      <p className="muted">
        {graph.nodes.length} nodes, {graph.edges.length} edges, {graph.inputs.length} inputs. Select a node to edit it; inputs, defaults and limits are edited in the YAML tab.
      </p>
    </form>
  );
}
