import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../App';
import { api } from '../api/client';
import { useAction } from '../hooks';
import { navigate } from '../router';

/** Log in with an API token (`orchestra tokens create NAME --scope run`, or the one serve printed). */
export function Login({ next }: { next: string }) {
  const [token, setToken] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(
      () => api.login(token.trim()),
      () => navigate(`#${safeNext(next)}`),
    );
  };
  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Orchestra</h1>
        <label>
          API token
          <input type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} required autoFocus />
        </label>
        <p className="muted">
          Use the token <code>orchestra serve</code> printed, or create one with <code>orchestra tokens create NAME --scope run</code>.
        </p>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}

/** Where to go after the login: the page that asked for it, never the login itself. */
function safeNext(next: string): string {
  const path = next.startsWith('/') ? next : `/${next}`;
  return path.startsWith('/login') ? '/runs' : path;
}
