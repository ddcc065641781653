/**
 * Node boxes of a large graph mounted a few at a time, where React Flow would mount all those in
 * view in one frame: when the graph is first drawn, and when zooming in takes it out of the
 * overview (some 300 boxes come into view at once there, and that one frame took 0.7 s on a quiet
 * machine and 2 s at load 20: a frozen page). The boxes in view that are not mounted yet are
 * mounted over the next frames, those nearest the view's centre first, as many per frame as the
 * machine keeps up with (the count grows while frames stay short, shrinks when they are long),
 * and drawn on the overview canvas while they wait; the same happens to boxes a pan or zoom brings
 * into view. Nodes once mounted stay mounted (React Flow still leaves out of the DOM those out of
 * view) until the overview takes over again. The page marks `orchestra:mounted` each time every
 * box in view is mounted.
 */
import { useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { NODE_HEIGHT, NODE_WIDTH, type Position } from './layout';

/** Frames shorter than this let the next step mount more boxes; longer than SLOW_MS, fewer. */
const FAST_MS = 40;
const SLOW_MS = 100;
const FIRST_STEP = 30;
const MIN_STEP = 10;
const MAX_STEP = 400;

export interface GradualMount {
  /** The nodes that may be drawn as boxes, or null when all may (a graph that is not large). */
  readonly mounted: ReadonlySet<string> | null;
  /** Whether boxes in view are still waiting to be mounted. */
  readonly busy: boolean;
}

/** `large`: whether the graph is large enough for this; `overview`: whether it is drawn as the overview now. */
export function useGradualMount(large: boolean, overview: boolean, ids: readonly string[], positions: ReadonlyMap<string, Position> | null): GradualMount {
  const store = useStoreApi();
  const [mounted, setMounted] = useState<ReadonlySet<string> | null>(() => (large ? new Set() : null));
  const [busy, setBusy] = useState(large);
  // Changes of size or overview take effect in the same render, before React Flow sees a box.
  const [was, setWas] = useState({ large, overview });
  if (was.large !== large || was.overview !== overview) {
    setWas({ large, overview });
    setMounted(large ? new Set() : null);
    setBusy(large && !overview);
  }

  const latest = useRef({ mounted, busy, ids, positions, overview });
  latest.current = { mounted, busy, ids, positions, overview };
  const step = useRef(FIRST_STEP);
  const lastStep = useRef<number | null>(null);
  const frame = useRef<number | null>(null);

  const check = useCallback(
    (now: number) => {
      frame.current = null;
      const { mounted, busy, ids, positions, overview } = latest.current;
      if (!mounted || !positions || overview) return;
      const { transform, width, height } = store.getState();
      // Not measured yet, nothing can be in view: look again on the next store change.
      if (width === 0 || height === 0) return;
      const waiting = inView(ids, positions, transform, width, height).filter((id) => !mounted.has(id));
      if (waiting.length === 0) {
        lastStep.current = null;
        if (busy) {
          performance.mark('orchestra:mounted');
          setBusy(false);
        }
        return;
      }
      // The time since the last step's frame includes mounting that step's boxes.
      if (lastStep.current !== null) {
        const took = now - lastStep.current;
        if (took < FAST_MS) step.current = Math.min(MAX_STEP, Math.ceil(step.current * 1.5));
        else if (took > SLOW_MS) step.current = Math.max(MIN_STEP, Math.floor(step.current / 2));
      }
      lastStep.current = now;
      setBusy(true);
      setMounted(new Set([...mounted, ...waiting.slice(0, step.current)]));
    },
    [store],
  );
  const schedule = useCallback(() => {
    frame.current ??= requestAnimationFrame(check);
  }, [check]);

  // After each step (and each new layout), and whenever the view moves: at most once a frame.
  useEffect(schedule, [mounted, positions, overview, schedule]);
  useEffect(() => store.subscribe(schedule), [store, schedule]);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  return { mounted, busy };
}

/** The nodes whose box is in the view, nearest its centre first. */
export function inView(ids: readonly string[], positions: ReadonlyMap<string, Position>, [x, y, zoom]: readonly [number, number, number], width: number, height: number): string[] {
  const left = -x / zoom;
  const top = -y / zoom;
  const right = left + width / zoom;
  const bottom = top + height / zoom;
  const cx = (left + right) / 2;
  const cy = (top + bottom) / 2;
  const found: [string, number][] = [];
  for (const id of ids) {
    const p = positions.get(id);
    if (!p || p.x + NODE_WIDTH < left || p.x > right || p.y + NODE_HEIGHT < top || p.y > bottom) continue;
    found.push([id, (p.x + NODE_WIDTH / 2 - cx) ** 2 + (p.y + NODE_HEIGHT / 2 - cy) ** 2]);
  }
  return found.sort((a, b) => a[1] - b[1]).map(([id]) => id);
}
