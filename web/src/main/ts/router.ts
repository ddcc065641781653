/**
 * Hash routing: every run, node and workflow has a URL (`#/runs/RUN/nodes/NODE`), shareable and
 * served by the server as plain index.html with no fallback route.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'login'; next: string }
  | { page: 'runs'; status: string; workflow: string }
  | { page: 'run'; id: string; node: string | undefined; tab: string | undefined }
  | { page: 'workflows' }
  | { page: 'editor'; name: string | undefined; node: string | undefined; view: 'canvas' | 'yaml' };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/runs';
  const [pathPart, queryPart = ''] = raw.split('?');
  const q = new URLSearchParams(queryPart);
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'login':
      return { page: 'login', next: q.get('next') ?? '/runs' };
    case 'runs':
      if (parts[1]) return { page: 'run', id: parts[1], node: parts[2] === 'nodes' ? parts.slice(3).join('/') || undefined : undefined, tab: q.get('tab') ?? undefined };
      return { page: 'runs', status: q.get('status') ?? '', workflow: q.get('workflow') ?? '' };
    case 'workflows':
      // `new`: the editor of a workflow not saved yet, with its nodes' URLs like a stored one's.
      if (parts[1]) {
        return {
          page: 'editor',
          name: parts[1] === 'new' ? undefined : parts[1],
          node: parts[2] === 'nodes' ? parts[3] : undefined,
          view: q.get('view') === 'yaml' ? 'yaml' : 'canvas',
        };
      }
      return { page: 'workflows' };
    default:
      return { page: 'runs', status: '', workflow: '' };
  }
}

const e = encodeURIComponent;

export const href = {
  runs: (filter: { status?: string; workflow?: string } = {}) => {
    const q = new URLSearchParams();
    if (filter.status) q.set('status', filter.status);
    if (filter.workflow) q.set('workflow', filter.workflow);
    const s = q.toString();
    return `#/runs${s ? `?${s}` : ''}`;
  },
  // Composed inner node ids hold a '/': each segment is encoded on its own.
  run: (id: string, node?: string, tab?: string) =>
    `#/runs/${e(id)}${node ? `/nodes/${node.split('/').map(e).join('/')}` : ''}${tab ? `?tab=${e(tab)}` : ''}`,
  workflows: () => '#/workflows',
  editor: (name?: string, node?: string, view?: 'canvas' | 'yaml') =>
    `#/workflows/${name ? e(name) : 'new'}${node ? `/nodes/${e(node)}` : ''}${view === 'yaml' ? '?view=yaml' : ''}`,
  login: (next: string) => `#/login?next=${e(next)}`,
};

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else location.hash = to.replace(/^#/, '');
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeHash, () => location.hash);
  return parseRoute(hash);
}
