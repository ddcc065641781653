/**
 * One clock for every elapsed-time display: components subscribe only while they show a running
 * node, so a 2,000-node graph does not redraw every node each second.
 */
import { useSyncExternalStore } from 'react';

let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const noop = () => () => {};

/** The current time, updated each second while `active`; a fixed value otherwise. */
export function useNow(active: boolean): number {
  return useSyncExternalStore(active ? subscribe : noop, () => (active ? now : 0));
}
