/** The form to start a run: one field per workflow input, required ones marked, defaults filled. */
import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../App';
import { useAction } from '../hooks';
import type { InputSpec } from '../workflow/model';

export function RunDialog({ inputs, onRun, onCancel }: { inputs: readonly InputSpec[]; onRun: (values: Record<string, string>) => Promise<void>; onCancel: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(inputs.map((i) => [i.name, i.default ?? ''])));
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Inputs left empty that have a default are not sent: the workflow's default applies.
    const given = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== '' || !inputs.find((i) => i.name === k)?.default));
    run(() => onRun(given));
  };
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-labelledby="run-dialog-title" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form onSubmit={submit}>
        <h2 id="run-dialog-title">Run with inputs</h2>
        {inputs.length === 0 && <p className="muted">This workflow has no inputs.</p>}
        {inputs.map((i, n) => (
          <div className="field" key={i.name}>
            <label htmlFor={`input-${i.name}`}>
              {i.name}
              {i.required && <span aria-label="required"> *</span>}
            </label>
            <textarea
              id={`input-${i.name}`}
              rows={2}
              autoFocus={n === 0}
              required={i.required}
              placeholder={i.default}
              value={values[i.name] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [i.name]: e.target.value }))}
            />
            {i.description && <p className="muted">{i.description}</p>}
          </div>
        ))}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Starting…' : 'Run'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
