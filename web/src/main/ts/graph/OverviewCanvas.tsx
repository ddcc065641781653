/**
 * The overview canvas laid over React Flow's pane (see overview.ts): it follows the pane's
 * transform, draws at most once per animation frame, and takes no pointer events, so the pane
 * underneath still pans, zooms and reports clicks. Colours come from the stylesheet: a hidden
 * probe with a node's classes gives the `--c` each status (or agent) has, in the current theme.
 */
import { useStore } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { drawOverview } from './overview';
import type { Position } from './layout';

export interface OverviewProps {
  readonly positions: ReadonlyMap<string, Position>;
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /** The classes a node's box has besides `dag-node` (e.g. `status-running`): its colour. */
  readonly classes: (id: string) => string;
  readonly selected: string | undefined;
}

export function OverviewCanvas({ positions, edges, classes, selected }: OverviewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const probe = useRef<HTMLDivElement>(null);
  const [x, y, zoom] = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const theme = useColourScheme();
  // Colours by class list, read from the stylesheet once per theme.
  const colours = useMemo(() => new Map<string, string>(), [theme]);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || !probe.current) return;
    const probeEl = probe.current;
    const colourOf = (cls: string) => {
      let c = colours.get(cls);
      if (c === undefined) {
        probeEl.className = `dag-node overview-probe ${cls}`;
        const css = getComputedStyle(probeEl);
        c = css.getPropertyValue('--c').trim() || css.borderLeftColor;
        colours.set(cls, c);
      }
      return c;
    };
    const frame = requestAnimationFrame(() => {
      const ratio = window.devicePixelRatio || 1;
      if (el.width !== Math.round(width * ratio) || el.height !== Math.round(height * ratio)) {
        el.width = Math.round(width * ratio);
        el.height = Math.round(height * ratio);
      }
      const host = getComputedStyle(el);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawOverview(ctx, { x, y, zoom, width, height }, positions, edges, selected, {
        colour: (id) => colourOf(classes(id)),
        background: host.getPropertyValue('--bg').trim() || 'white',
        line: host.getPropertyValue('--line').trim() || 'grey',
        selection: host.getPropertyValue('--accent').trim() || 'blue',
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [x, y, zoom, width, height, positions, edges, classes, selected, colours]);

  return (
    <>
      <canvas ref={canvas} className="overview" style={{ width, height }} aria-hidden="true" />
      <div ref={probe} className="dag-node overview-probe" aria-hidden="true" />
    </>
  );
}

/** 'dark' or 'light', following the system as the stylesheet does. */
function useColourScheme(): string {
  const query = useMemo(() => window.matchMedia('(prefers-color-scheme: dark)'), []);
  const [dark, setDark] = useState(query.matches);
  useEffect(() => {
    const change = () => setDark(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, [query]);
  return dark ? 'dark' : 'light';
}
