/**
 * The form for one node's fields. Every change is an {@link Edit} on the workflow text, so the
 * form never rewrites what it does not change; problems from validation are shown under the
 * field they belong to.
 */
import { useId, type ReactNode } from 'react';
import type { LibraryAgent } from '../api/types';
import type { Edit } from '../workflow/edits';
import { AGENTS, type GraphNode } from '../workflow/model';
import { concerns, problemText, type PlacedProblem } from '../workflow/problems';

type Path = readonly (string | number)[];

interface FormProps {
  readonly node: GraphNode;
  readonly others: readonly string[];
  readonly library: readonly LibraryAgent[];
  readonly problems: readonly PlacedProblem[];
  readonly edit: (e: Edit) => void;
}

/** A typed-in number stays a number in the YAML; anything else is written as typed. */
function numberOrText(s: string): string | number {
  return /^\d+(\.\d+)?$/.test(s.trim()) ? Number(s.trim()) : s;
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function NodeForm({ node, others, library, problems, edit }: FormProps) {
  const f = node.fields;
  const set = (field: Path, value: unknown) => edit({ kind: 'setField', id: node.id, field, value });
  const Problems = ({ field }: { field: Path }) => <FieldProblems problems={problems} node={node.id} field={field} />;
  const composed = node.uses !== undefined;
  const checks = Array.isArray(f.checks) ? (f.checks as Record<string, unknown>[]) : [];
  const context = Array.isArray(f.context) ? (f.context as Record<string, unknown>[]) : [];
  const outputs = f.outputs && typeof f.outputs === 'object' ? Object.entries(f.outputs as Record<string, Record<string, unknown>>) : [];
  const budget = (f.budget && typeof f.budget === 'object' ? f.budget : {}) as Record<string, unknown>;
  const entry = composed ? library.find((l) => l.name === node.uses || node.uses?.endsWith(`${l.name}.yaml`)) : undefined;

  return (
    <form className="node-form" onSubmit={(e) => e.preventDefault()} aria-label={`fields of node ${node.id}`}>
      <Field label="Id" problems={<Problems field={[]} />}>
        {(id) => (
          <input
            id={id}
            defaultValue={node.id}
            key={node.id}
            onBlur={(e) => e.target.value !== node.id && edit({ kind: 'renameNode', id: node.id, to: e.target.value.trim() })}
            onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
          />
        )}
      </Field>
      {composed ? (
        <>
          <Field label="Uses (composed workflow)" problems={<Problems field={['uses']} />}>
            {(id) => <input id={id} value={str(f.uses)} onChange={(e) => set(['uses'], e.target.value)} />}
          </Field>
          <fieldset>
            <legend>With (its inputs)</legend>
            {Object.entries({ ...(entry?.inputs ?? {}), ...((f.with as Record<string, unknown>) ?? {}) }).map(([name]) => (
              <Field key={name} label={name} problems={<Problems field={['with', name]} />}>
                {(id) => <input id={id} value={str((f.with as Record<string, unknown> | undefined)?.[name])} onChange={(e) => set(['with', name], e.target.value)} />}
              </Field>
            ))}
          </fieldset>
        </>
      ) : (
        <>
          <Field label="Agent" problems={<Problems field={['agent']} />}>
            {(id) => (
              <select id={id} value={node.ownAgent ?? ''} onChange={(e) => set(['agent'], e.target.value)}>
                <option value="">default ({node.agent})</option>
                {[...AGENTS, ...(node.ownAgent && !(AGENTS as readonly string[]).includes(node.ownAgent) ? [node.ownAgent] : [])].map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {node.agent !== 'command' && (
            <Field label="Model" problems={<Problems field={['model']} />}>
              {(id) => <input id={id} value={str(f.model)} onChange={(e) => set(['model'], e.target.value)} placeholder="the agent's default" />}
            </Field>
          )}
          {node.agent === 'command' && (
            <Field label="Command (sh -c)" problems={<Problems field={['command']} />}>
              {(id) => (
                <textarea
                  id={id}
                  rows={3}
                  value={Array.isArray(f.command) ? (f.command as unknown[]).join(' ') : str(f.command)}
                  readOnly={Array.isArray(f.command)}
                  title={Array.isArray(f.command) ? 'An argument list: edit it in the YAML tab.' : undefined}
                  onChange={(e) => set(['command'], e.target.value)}
                />
              )}
            </Field>
          )}
        </>
      )}
      <Field label="Prompt" problems={<Problems field={['prompt']} />}>
        {(id) => <textarea id={id} rows={6} value={str(f.prompt)} onChange={(e) => set(['prompt'], e.target.value)} spellCheck />}
      </Field>
      {f.prompt_file !== undefined && (
        <Field label="Prompt file" problems={<Problems field={['prompt_file']} />}>
          {(id) => <input id={id} value={str(f.prompt_file)} onChange={(e) => set(['prompt_file'], e.target.value)} />}
        </Field>
      )}

      <fieldset>
        <legend>Needs</legend>
        <Problems field={['needs']} />
        {others.length === 0 && <p className="muted">No other nodes.</p>}
        {others.map((o) => (
          <label key={o} className="check">
            <input
              type="checkbox"
              checked={node.needs.includes(o)}
              onChange={(e) => edit({ kind: e.target.checked ? 'connect' : 'disconnect', from: o, to: node.id })}
            />
            {o}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>Context</legend>
        {context.map((c, i) => {
          const kind = ['file', 'url', 'node'].find((k) => k in c) ?? 'file';
          return (
            <div className="row" key={i}>
              <select aria-label={`context ${i + 1} kind`} value={kind} onChange={(e) => set(['context', i], { [e.target.value]: str(c[kind]) })}>
                <option value="file">file</option>
                <option value="url">url</option>
                <option value="node">node</option>
              </select>
              <input aria-label={`context ${i + 1} ${kind}`} value={str(c[kind])} onChange={(e) => set(['context', i, kind], e.target.value)} />
              <button type="button" aria-label={`remove context ${i + 1}`} onClick={() => edit({ kind: 'removeItem', id: node.id, field: ['context'], index: i })}>
                −
              </button>
              <Problems field={['context', i]} />
            </div>
          );
        })}
        <button type="button" onClick={() => edit({ kind: 'insertItem', id: node.id, field: ['context'], index: context.length, value: { file: 'README.md' } })}>
          Add context
        </button>
      </fieldset>

      <fieldset>
        <legend>Checks</legend>
        {checks.map((c, i) => (
          <CheckRow key={i} index={i} check={c} node={node.id} edit={edit} problems={<Problems field={['checks', i]} />} />
        ))}
        <div className="row">
          {(['run', 'exists', 'junit', 'critic'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              onClick={() => edit({ kind: 'insertItem', id: node.id, field: ['checks'], index: checks.length, value: { [kind]: CHECK_EXAMPLE[kind] } })}
            >
              + {kind}
            </button>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Outputs</legend>
        {outputs.map(([name, spec], i) => {
          const kind = 'json' in (spec ?? {}) ? 'json' : 'file';
          return (
            <div className="row" key={name}>
              <input
                aria-label={`output ${i + 1} name`}
                defaultValue={name}
                onBlur={(e) => {
                  const to = e.target.value.trim();
                  if (to && to !== name) set(['outputs'], Object.fromEntries(outputs.map(([n, s]) => [n === name ? to : n, s])));
                }}
              />
              <select aria-label={`output ${name} kind`} value={kind} onChange={(e) => set(['outputs', name], { [e.target.value]: str(spec?.[kind]) })}>
                <option value="file">file</option>
                <option value="json">json</option>
              </select>
              <input aria-label={`output ${name} path`} value={str(spec?.[kind])} onChange={(e) => set(['outputs', name, kind], e.target.value)} />
              <button type="button" aria-label={`remove output ${name}`} onClick={() => set(['outputs', name], undefined)}>
                −
              </button>
              <Problems field={['outputs', name]} />
            </div>
          );
        })}
        <button type="button" onClick={() => set(['outputs', freshName(outputs.map(([n]) => n))], { file: 'OUTPUT.md' })}>
          Add output
        </button>
      </fieldset>

      <fieldset>
        <legend>Limits</legend>
        <div className="grid2">
          <Field label="Attempts" problems={<Problems field={['attempts']} />}>
            {(id) => <input id={id} inputMode="numeric" value={str(f.attempts)} onChange={(e) => set(['attempts'], numberOrText(e.target.value))} placeholder="default" />}
          </Field>
          <Field label="Timeout" problems={<Problems field={['timeout']} />}>
            {(id) => <input id={id} value={str(f.timeout)} onChange={(e) => set(['timeout'], e.target.value)} placeholder="e.g. 30m" />}
          </Field>
          <Field label="Idle timeout" problems={<Problems field={['idle_timeout']} />}>
            {(id) => <input id={id} value={str(f.idle_timeout)} onChange={(e) => set(['idle_timeout'], e.target.value)} placeholder="e.g. 5m" />}
          </Field>
          <Field label="Budget (USD)" problems={<Problems field={['budget', 'usd']} />}>
            {(id) => <input id={id} inputMode="decimal" value={str(budget.usd)} onChange={(e) => setBudget(set, budget, 'usd', e.target.value)} />}
          </Field>
          <Field label="Budget (tokens)" problems={<Problems field={['budget', 'tokens']} />}>
            {(id) => <input id={id} inputMode="numeric" value={str(budget.tokens)} onChange={(e) => setBudget(set, budget, 'tokens', e.target.value)} />}
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={f.continue_on_failure === true} onChange={(e) => set(['continue_on_failure'], e.target.checked ? true : undefined)} />
          Downstream nodes still run if this one fails
        </label>
      </fieldset>
      <OtherProblems problems={problems} node={node.id} />
    </form>
  );
}

const CHECK_EXAMPLE: Readonly<Record<string, string>> = {
  run: 'make test',
  exists: 'README.md',
  junit: 'target/surefire-reports/*.xml',
  critic: 'The change does what the prompt asks.',
};

function setBudget(set: (f: Path, v: unknown) => void, budget: Record<string, unknown>, key: 'usd' | 'tokens', value: string) {
  const next = { ...budget, [key]: value.trim() === '' ? undefined : numberOrText(value) };
  const empty = Object.values(next).every((v) => v === undefined);
  set(['budget'], empty ? undefined : next);
}

function freshName(names: readonly string[]): string {
  for (let i = 1; ; i++) if (!names.includes(`output${i}`)) return `output${i}`;
}

function CheckRow({ index, check, node, edit, problems }: { index: number; check: Record<string, unknown>; node: string; edit: (e: Edit) => void; problems: ReactNode }) {
  const kind = (['run', 'exists', 'junit', 'critic'] as const).find((k) => k in check) ?? 'run';
  const set = (field: Path, value: unknown) => edit({ kind: 'setField', id: node, field: ['checks', index, ...field], value });
  const main = check[kind];
  const editable = typeof main === 'string';
  return (
    <div className="check-row">
      <div className="row">
        <strong>{kind}</strong>
        <input
          aria-label={`check ${index + 1} ${kind}`}
          value={editable ? main : JSON.stringify(main)}
          readOnly={!editable}
          title={editable ? undefined : 'Edit this structured value in the YAML tab.'}
          onChange={(e) => set([kind], e.target.value)}
        />
        <button type="button" aria-label={`remove check ${index + 1}`} onClick={() => edit({ kind: 'removeItem', id: node, field: ['checks'], index })}>
          −
        </button>
      </div>
      {kind === 'run' && (
        <div className="row">
          <input aria-label={`check ${index + 1} name`} placeholder="name" value={str(check.name)} onChange={(e) => set(['name'], e.target.value)} />
          <input aria-label={`check ${index + 1} timeout`} placeholder="timeout" value={str(check.timeout)} onChange={(e) => set(['timeout'], e.target.value)} />
        </div>
      )}
      {kind === 'junit' && (
        <input aria-label={`check ${index + 1} min_tests`} placeholder="min_tests" value={str(check.min_tests)} onChange={(e) => set(['min_tests'], numberOrText(e.target.value))} />
      )}
      {problems}
    </div>
  );
}

function Field({ label, children, problems }: { label: string; children: (id: string) => ReactNode; problems?: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {problems}
    </div>
  );
}

/** The problems placed exactly at `field` of `node` (deeper ones show at their own fields). */
export function FieldProblems({ problems, node, field }: { problems: readonly PlacedProblem[]; node: string; field: Path }) {
  const mine = problems.filter((p) => concerns(p, node, field) && (field.length > 0 ? true : p.field.length === 0));
  if (mine.length === 0) return null;
  return (
    <ul className="problems" role="alert">
      {mine.map((p, i) => (
        <li key={i}>{problemText(p.problem)}</li>
      ))}
    </ul>
  );
}

const SHOWN_FIELDS = new Set(['agent', 'uses', 'with', 'model', 'command', 'prompt', 'prompt_file', 'needs', 'context', 'checks', 'outputs', 'attempts', 'timeout', 'idle_timeout', 'budget']);

/** Problems on fields the form has no input for: shown with the key they concern. */
function OtherProblems({ problems, node }: { problems: readonly PlacedProblem[]; node: string }) {
  const rest = problems.filter((p) => p.node === node && p.field.length > 0 && !SHOWN_FIELDS.has(String(p.field[0])));
  if (rest.length === 0) return null;
  return (
    <ul className="problems" role="alert">
      {rest.map((p, i) => (
        <li key={i}>
          <code>{p.field.join('.')}</code>: {problemText(p.problem)}
        </li>
      ))}
    </ul>
  );
}
