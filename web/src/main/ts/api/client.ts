/**
 * The one module that talks to the server (API v1, the server's
 * `server/src/main/resources/dev/orchestra/server/openapi.json`): fetch with the session cookie,
 * the CSRF token on state-changing requests, and errors turned into {@link ApiError}s whose
 * message a person can read. The CSRF token is kept in memory only: a page that starts (a reload,
 * a new tab, a shared link) asks `GET /session` who it is logged in as and gets it again with the
 * token's name and scope. The cookie itself is HttpOnly and never seen here.
 */
import type {
  Accepted,
  ApiErrorBody,
  Attempt,
  AttemptText,
  DecisionAnswer,
  LibraryAgent,
  Problem,
  RunList,
  RunSnapshot,
  Scope,
  Session,
  StoredWorkflow,
  WorkflowSummary,
} from './types';

export const API = '/api/v1';

/** An error answer of the API, or a failure to reach it. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorized = new Set<Listener>();
const sessionListeners = new Set<Listener>();
let current: Session | null = null;

/** Called when the server answers 401: the session is gone and the UI shows the login. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorized.add(listener);
  return () => unauthorized.delete(listener);
}

async function request<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
  const headers: Record<string, string> = { Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = current?.csrf_token;
  if (method !== 'GET' && token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(`Cannot reach the server for ${method} ${API}${path}: ${(e as Error).message}. Is orchestra serve running?`, 0, 'unreachable');
  }
  if (!response.ok) throw await errorOf(method, path, response);
  if (response.status === 204) return undefined as T;
  if (accept === 'application/json') return (await response.json()) as T;
  return (await response.text()) as T;
}

async function errorOf(method: string, path: string, response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: Partial<ApiErrorBody> | undefined;
  try {
    body = JSON.parse(text) as Partial<ApiErrorBody>;
  } catch {
    body = undefined;
  }
  if (response.status === 401 && !(method === 'POST' && path === '/session')) {
    setSession(null);
    for (const l of unauthorized) l();
  }
  const e = body?.error;
  if (e && typeof e.message === 'string') return new ApiError(e.message, response.status, e.code ?? String(response.status), e.problems ?? []);
  const snippet = text.trim().slice(0, 200);
  return new ApiError(
    `${method} ${API}${path} answered HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
    response.status,
    String(response.status),
  );
}

const enc = encodeURIComponent;

function setSession(s: Session | null): void {
  current = s;
  for (const l of sessionListeners) l();
}

const SCOPES: readonly Scope[] = ['read', 'run', 'admin'];

export const api = {
  async login(token: string): Promise<Session> {
    const s = await request<Session>('POST', '/session', { token });
    setSession(s);
    return s;
  },
  async logout(): Promise<void> {
    try {
      await request<void>('DELETE', '/session');
    } finally {
      setSession(null);
    }
  },
  /**
   * Who this page is logged in as, asked of the server (`GET /session`): a new tab or a reload
   * finds its session this way. Rejects with a 401 {@link ApiError} when there is none.
   */
  async resumeSession(): Promise<Session> {
    const s = await request<Session>('GET', '/session');
    setSession(s);
    return s;
  },
  /** The session this page knows, or null before the login (or `resumeSession`). */
  session(): Session | null {
    return current;
  },
  /** Whether the session's token has `scope` or a larger one. */
  may(scope: Scope): boolean {
    return current !== null && SCOPES.indexOf(current.scope) >= SCOPES.indexOf(scope);
  },
  onSessionChange(listener: Listener): () => void {
    sessionListeners.add(listener);
    return () => sessionListeners.delete(listener);
  },

  workflows: () => request<{ workflows: WorkflowSummary[] }>('GET', '/workflows').then((r) => r.workflows),
  workflow: (name: string) => request<StoredWorkflow>('GET', `/workflows/${enc(name)}`),
  saveWorkflow: (name: string, yaml: string) => request<{ name: string; problems: Problem[] }>('PUT', `/workflows/${enc(name)}`, { yaml }),
  deleteWorkflow: (name: string) => request<void>('DELETE', `/workflows/${enc(name)}`),
  validate: (yaml: string) => request<{ problems: Problem[] }>('POST', '/validate', { yaml }).then((r) => r.problems),
  library: () => request<{ agents: LibraryAgent[] }>('GET', '/library').then((r) => r.agents),

  submit: (workflow: string, inputs: Record<string, string>) => request<Accepted>('POST', '/runs', { workflow, inputs }),
  runs(filter: { status?: string; workflow?: string; cursor?: string; limit?: number } = {}): Promise<RunList> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') q.set(k, String(v));
    const qs = q.toString();
    return request<RunList>('GET', `/runs${qs ? `?${qs}` : ''}`);
  },
  run: (id: string) => request<RunSnapshot>('GET', `/runs/${enc(id)}`),
  cancel: (id: string) => request<Accepted>('POST', `/runs/${enc(id)}/cancel`),
  resume: (id: string) => request<Accepted>('POST', `/runs/${enc(id)}/resume`),
  retry: (id: string) => request<Accepted>('POST', `/runs/${enc(id)}/retry`),
  deleteRun: (id: string) => request<void>('DELETE', `/runs/${enc(id)}`),
  attempts: (id: string, node: string) =>
    request<{ attempts: Attempt[] }>('GET', `/runs/${enc(id)}/nodes/${enc(node)}/attempts`).then((r) => r.attempts),
  attemptText: (id: string, node: string, attempt: number, kind: AttemptText) =>
    request<string>('GET', `/runs/${enc(id)}/nodes/${enc(node)}/attempts/${attempt}/${kind}`, undefined, 'text/plain'),
  diff: (id: string, node: string) => request<string>('GET', `/runs/${enc(id)}/nodes/${enc(node)}/diff`, undefined, 'text/plain'),
  approve: (id: string, node: string, comment: string) => request<DecisionAnswer>('POST', `/runs/${enc(id)}/nodes/${enc(node)}/approve`, { comment }),
  reject: (id: string, node: string, comment: string) => request<DecisionAnswer>('POST', `/runs/${enc(id)}/nodes/${enc(node)}/reject`, { comment }),
};

/** The URL of a run's event stream after `afterSeq`, or of the server-wide one. */
export function eventsUrl(run: string | null, afterSeq?: number): string {
  const base = run === null ? `${API}/events` : `${API}/runs/${enc(run)}/events`;
  return afterSeq === undefined ? base : `${base}?after=${afterSeq}`;
}
