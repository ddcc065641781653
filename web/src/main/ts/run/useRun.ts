/**
 * A run kept live: the snapshot, then its events from `last_seq` on, folded in batches (one
 * state update per animation frame). When the state turns stale (an unknown event type, a gap)
 * the snapshot is fetched again and the stream resumed after it.
 */
import { useEffect, useMemo, useState } from 'react';
import { api, eventsUrl } from '../api/client';
import { subscribe, type StreamStatus, type Subscription } from '../api/events';
import type { RunEvent, UnknownEvent } from '../api/types';
import { LogBuffer } from './logBuffer';
import { applyEvents, fromSnapshot, type RunState } from './runState';

export interface LiveRun {
  readonly state: RunState | null;
  readonly error: unknown;
  readonly stream: StreamStatus;
  readonly logs: LogBuffer;
  /** Fetches the snapshot again (after an action such as retry). */
  readonly reload: () => void;
}

export function useRun(id: string): LiveRun {
  const logs = useMemo(() => new LogBuffer(), [id]);
  const [state, setState] = useState<RunState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let closed = false;
    let sub: Subscription | undefined;
    let current: RunState | null = null;
    api
      .run(id)
      .then((snapshot) => {
        if (closed) return;
        current = fromSnapshot(snapshot);
        setState(current);
        setError(null);
        sub = subscribe<RunEvent | UnknownEvent>(
          eventsUrl(id, snapshot.last_seq),
          (batch) => {
            if (!current || closed) return;
            const seen = current.lastSeq;
            const fresh = batch.filter((e) => e.seq > seen);
            if (fresh.length === 0) return;
            logs.add(fresh);
            current = applyEvents(current, fresh);
            setState(current);
            if (current.stale) setGeneration((g) => g + 1);
          },
          setStream,
        );
      })
      .catch((e: unknown) => !closed && setError(e));
    return () => {
      closed = true;
      sub?.close();
    };
  }, [id, generation, logs]);

  return { state, error, stream, logs, reload: () => setGeneration((g) => g + 1) };
}
