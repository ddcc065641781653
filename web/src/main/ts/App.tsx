import { useEffect, useState, useSyncExternalStore } from 'react';
import { api, ApiError, onUnauthorized } from './api/client';
import { Editor } from './pages/Editor';
import { Login } from './pages/Login';
import { RunsList } from './pages/RunsList';
import { RunView } from './pages/RunView';
import { WorkflowsList } from './pages/WorkflowsList';
import { href, navigate, useRoute } from './router';

export function App() {
  const route = useRoute();
  const session = useSyncExternalStore(api.onSessionChange, api.session);
  // Whether GET /session was asked once: until then the page does not know if it is logged in.
  const [asked, setAsked] = useState(false);
  const [unreachable, setUnreachable] = useState<unknown>(null);
  useEffect(() => onUnauthorized(toLogin), []);
  useEffect(() => {
    if (asked || route.page === 'login') return;
    api
      .resumeSession()
      .then(() => performance.mark('orchestra:session'))
      .catch((e: unknown) => {
        // A 401 has sent the page to the login already; anything else is shown.
        if (!(e instanceof ApiError && e.status === 401)) setUnreachable(e);
      })
      .finally(() => setAsked(true));
  }, [asked, route.page]);

  if (route.page === 'login') return <Login next={route.next} />;
  if (!session) {
    return <main className="page">{unreachable ? <ErrorBox error={unreachable} /> : <p className="muted">Loading…</p>}</main>;
  }
  return (
    <div className="app">
      <header className="top">
        <a className="brand" href={href.runs()}>
          Orchestra
        </a>
        <nav aria-label="main">
          <a href={href.runs()} aria-current={route.page === 'runs' || route.page === 'run' ? 'page' : undefined}>
            Runs
          </a>
          <a href={href.workflows()} aria-current={route.page === 'workflows' || route.page === 'editor' ? 'page' : undefined}>
            Workflows
          </a>
        </nav>
        <span className="who" title={`logged in with token '${session.token_name}', scope ${session.scope}`}>
          {session.token_name} · {session.scope}
        </span>
        <LogoutButton />
      </header>
      <main className="page">
        {route.page === 'runs' && <RunsList status={route.status} workflow={route.workflow} />}
        {route.page === 'run' && <RunView key={route.id} id={route.id} node={route.node} tab={route.tab} />}
        {route.page === 'workflows' && <WorkflowsList />}
        {route.page === 'editor' && <Editor key={route.name ?? '(new)'} name={route.name} node={route.node} view={route.view} />}
      </main>
    </div>
  );
}

/** Shows the login, which comes back here afterwards. */
function toLogin(): void {
  const here = location.hash.replace(/^#/, '') || '/runs';
  if (!here.startsWith('/login')) navigate(href.login(here), true);
}

function LogoutButton() {
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="logout">
      {error && <span className="error-text">{error}</span>}
      <button
        type="button"
        onClick={() =>
          api
            .logout()
            .then(() => navigate(href.login('/runs')))
            .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)))
        }
      >
        Log out
      </button>
    </span>
  );
}

/** An API error (or any error) as a sentence, with the validation problems it carries. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const problems = error instanceof ApiError ? error.problems : [];
  return (
    <div className="banner error" role="alert">
      {message}
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              {p.file ?? 'workflow'}:{p.line}:{p.column}: {p.message}
              {p.hint ? `; ${p.hint}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
