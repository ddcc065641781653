/** Two small hooks the screens share: a user action in progress, and data fetched for a view. */
import { useCallback, useEffect, useState, type DependencyList } from 'react';

export interface Action {
  readonly busy: boolean;
  readonly error: unknown;
  /** Runs `f` unless another action runs; its error is kept for display, `then` runs after success. */
  readonly run: (f: () => Promise<unknown>, then?: () => void) => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback((f: () => Promise<unknown>, then?: () => void) => {
    setBusy(true);
    setError(null);
    f()
      .then(() => then?.())
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  }, []);
  return { busy, error, run };
}

export interface Fetched<T> {
  /** The value, or undefined while it loads (or after an error). */
  readonly data: T | undefined;
  readonly error: unknown;
}

/** Fetches when `deps` change; an answer that arrives after the view moved on is dropped. */
export function useFetch<T>(f: () => Promise<T>, deps: DependencyList): Fetched<T> {
  const [state, setState] = useState<Fetched<T>>({ data: undefined, error: null });
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ data: s.data, error: null }));
    f()
      .then((data) => !cancelled && setState({ data, error: null }))
      .catch((error: unknown) => !cancelled && setState({ data: undefined, error }));
    return () => {
      cancelled = true;
    };
    // The caller names what the fetch depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
