/** ELK in a web worker for the browser: the layout of a large DAG does not block the page. */
import ElkApi from 'elkjs/lib/elk-api.js';
import type { ELK } from 'elkjs/lib/elk-api';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { layout } from './layout';

let elk: ELK | undefined;

/** The page's one ELK instance, started on first use. */
export function browserElk(): ELK {
  elk ??= new ElkApi({ workerUrl }) as ELK;
  return elk;
}

/**
 * Starts the worker and lets it lay out a small layered graph (80 nodes in 8 layers) with the real
 * options while the page fetches its session and data. Loading ELK's 1.6 MB script happens then
 * rather than before the first graph, and so do its first runs, in which the browser is still
 * compiling ELK's code: a page's first layout of a graph took 2 to 4 times as long as later ones.
 */
export function warmUp(): void {
  const nodes = Array.from({ length: 80 }, (_, i) => `w${i}`);
  const edges = nodes.slice(10).map((to, i) => ({ from: nodes[i], to }));
  void layout(browserElk(), { nodes, edges }).catch(() => undefined);
}
