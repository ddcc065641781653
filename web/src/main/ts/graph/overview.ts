/**
 * The overview of a large DAG: when so many nodes are in view that their text cannot be read,
 * the canvas draws every node box and edge on one <canvas> instead of thousands of DOM elements
 * and SVG paths, whose painting made each frame of a pan or zoom cost 100 ms at 2,000 nodes.
 * Geometry is in the layout's coordinates, the same as React Flow's, and the edges are the same
 * Bézier curves React Flow draws (from a node's right side to the next one's left side).
 */
import { NODE_HEIGHT, NODE_WIDTH, type Position } from './layout';

/** Graphs with more nodes than this are drawn on the overview canvas when zoomed out. */
export const OVERVIEW_NODES = 300;
/** Below this zoom a node's text is under 5 px high: the overview canvas takes over. */
export const OVERVIEW_ZOOM = 0.4;

/** Whether a graph of `nodes` nodes at `zoom` is drawn as the overview. */
export function isOverview(nodes: number, zoom: number): boolean {
  return nodes > OVERVIEW_NODES && zoom < OVERVIEW_ZOOM;
}

/** The node whose box holds `point` (layout coordinates), or undefined. */
export function nodeAt(positions: ReadonlyMap<string, Position>, point: Position): string | undefined {
  const { x, y } = point;
  for (const [id, p] of positions) if (x >= p.x && x <= p.x + NODE_WIDTH && y >= p.y && y <= p.y + NODE_HEIGHT) return id;
  return undefined;
}

export interface OverviewStyle {
  /** The colour of a node's box, by node. */
  readonly colour: (id: string) => string;
  readonly background: string;
  readonly line: string;
  readonly selection: string;
}

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Draws the graph as the viewport shows it: the edges as one path, then the boxes in view, each
 * filled with its colour (faint) and its left edge solid, as the DOM boxes are.
 */
export function drawOverview(
  ctx: CanvasRenderingContext2D,
  view: Viewport,
  positions: ReadonlyMap<string, Position>,
  edges: readonly { readonly from: string; readonly to: string }[],
  selected: string | undefined,
  style: OverviewStyle,
): void {
  const { x, y, zoom, width, height } = view;
  ctx.clearRect(0, 0, width, height);
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(zoom, zoom);
  // What is in view, in layout coordinates, with a node's size of margin.
  const left = -x / zoom - NODE_WIDTH;
  const top = -y / zoom - NODE_HEIGHT;
  const right = (width - x) / zoom;
  const bottom = (height - y) / zoom;
  const inView = (p: Position) => p.x >= left && p.x <= right && p.y >= top && p.y <= bottom;

  ctx.beginPath();
  for (const e of edges) {
    const a = positions.get(e.from);
    const b = positions.get(e.to);
    if (!a || !b) continue;
    const sx = a.x + NODE_WIDTH;
    const sy = a.y + NODE_HEIGHT / 2;
    const tx = b.x;
    const ty = b.y + NODE_HEIGHT / 2;
    if (Math.max(sx, tx) < left || Math.min(sx, tx) > right + NODE_WIDTH || Math.max(sy, ty) < top || Math.min(sy, ty) > bottom + NODE_HEIGHT) continue;
    // React Flow's Bézier edge between a right and a left handle (curvature 0.25).
    const d = tx - sx;
    const offset = d >= 0 ? d / 2 : 0.25 * 25 * Math.sqrt(-d);
    ctx.moveTo(sx, sy);
    ctx.bezierCurveTo(sx + offset, sy, tx - offset, ty, tx, ty);
  }
  ctx.strokeStyle = style.line;
  ctx.lineWidth = 1 / zoom;
  ctx.stroke();

  // Boxes grouped by colour: one fill per colour rather than one per box.
  const byColour = new Map<string, Position[]>();
  for (const [id, p] of positions) {
    if (!inView(p)) continue;
    const c = style.colour(id);
    let list = byColour.get(c);
    if (!list) byColour.set(c, (list = []));
    list.push(p);
  }
  // The bar is 5 units wide, as the DOM box's border, and at least 3 px on screen.
  const bar = Math.max(5, 3 / zoom);
  for (const [c, list] of byColour) {
    ctx.fillStyle = style.background;
    ctx.globalAlpha = 1;
    for (const p of list) ctx.fillRect(p.x, p.y, NODE_WIDTH, NODE_HEIGHT);
    ctx.fillStyle = c;
    ctx.globalAlpha = 0.35;
    for (const p of list) ctx.fillRect(p.x, p.y, NODE_WIDTH, NODE_HEIGHT);
    ctx.globalAlpha = 1;
    for (const p of list) ctx.fillRect(p.x, p.y, bar, NODE_HEIGHT);
  }
  const s = selected === undefined ? undefined : positions.get(selected);
  if (s) {
    ctx.strokeStyle = style.selection;
    ctx.lineWidth = 3 / zoom;
    ctx.strokeRect(s.x, s.y, NODE_WIDTH, NODE_HEIGHT);
  }
  ctx.restore();
}
