/** ELK in a web worker for the browser: the layout of a large DAG does not block the page. */
import ElkApi from 'elkjs/lib/elk-api.js';
import type { ELK } from 'elkjs/lib/elk-api';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';

let elk: ELK | undefined;

/** The page's one ELK instance, started on first use. */
export function browserElk(): ELK {
  elk ??= new ElkApi({ workerUrl }) as ELK;
  return elk;
}

/**
 * Starts the worker and lets it lay out a tiny graph, so that loading ELK's 1.6 MB script and its
 * first, slowest run happen while the page fetches its data rather than before the first graph.
 */
export function warmUp(): void {
  void browserElk()
    .layout({ id: 'warm-up', children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] })
    .catch(() => undefined);
}
