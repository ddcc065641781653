/**
 * Server-sent events from the API, delivered in batches: events that arrive within one animation
 * frame are handed over together, so that a burst of 100 events a second costs one state update
 * and one render per frame. The browser's EventSource reconnects by itself and sends
 * Last-Event-ID, and the reducers ignore what they have seen, so a reconnect loses and repeats
 * nothing on screen.
 */
import { api } from './client';
import { KNOWN_EVENT_TYPES } from './types';

export type StreamStatus = 'connecting' | 'open' | 'closed';

export interface Subscription {
  close(): void;
}

/**
 * Listens to an event stream. `types` are the SSE event names to listen for (the server names
 * each event by its type); `message` events are taken too.
 */
export function subscribe<E extends { seq: number }>(
  url: string,
  onBatch: (events: E[]) => void,
  onStatus: (status: StreamStatus) => void = () => {},
  types: readonly string[] = KNOWN_EVENT_TYPES,
): Subscription {
  const source = new EventSource(url, { withCredentials: true });
  let queue: E[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length > 0) onBatch(batch);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // A hidden tab gets no animation frames; a timer keeps the state current there.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  };
  const onMessage = (m: MessageEvent<string>) => {
    try {
      const event = JSON.parse(m.data) as E;
      if (typeof event.seq !== 'number' && m.lastEventId) (event as { seq: number }).seq = Number(m.lastEventId);
      queue.push(event);
      schedule();
    } catch {
      // A line that is not JSON is not an event of ours (a proxy's keep-alive, say): skip it.
    }
  };
  source.addEventListener('message', onMessage);
  for (const t of types) source.addEventListener(t, onMessage as EventListener);
  source.onopen = () => onStatus('open');
  source.onerror = () => {
    const closed = source.readyState === EventSource.CLOSED;
    onStatus(closed ? 'closed' : 'connecting');
    // The browser gives up on an answer other than a stream (and says nothing of why): a 401
    // means the session ended, and asking for it sends the page to the login.
    if (closed) api.resumeSession().catch(() => undefined);
  };
  onStatus('connecting');
  return {
    close() {
      source.close();
      flush();
    },
  };
}
