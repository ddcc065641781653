/**
 * A run kept live: the snapshot, then its events folded in batches (one state update per animation
 * frame). The stream starts at the run's first event, so that the log of a node shows what it
 * printed before the page was opened; the events up to the snapshot's `last_seq` only fill the
 * logs, those after it move the state on. When the state turns stale (an unknown event type, a
 * gap) the snapshot is fetched again and the stream resumed after it.
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
        performance.mark('orchestra:snapshot');
        current = fromSnapshot(snapshot);
        setState(current);
        setError(null);
        sub = subscribe<RunEvent | UnknownEvent>(
          // After the last event the logs hold: from the first one, or on from before a refetch.
          eventsUrl(id, logs.lastSeq),
          (batch) => {
            if (!current || closed) return;
            logs.add(batch);
            const seen = current.lastSeq;
            const fresh = batch.filter((e) => e.seq > seen);
            if (fresh.length === 0) return;
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

  return { state, error, stream, logs };
}
