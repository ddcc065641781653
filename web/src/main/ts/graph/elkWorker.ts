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
