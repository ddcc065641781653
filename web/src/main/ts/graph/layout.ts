/**
 * Layered layout of a DAG: positions are computed, never stored in the workflow file. Graphs of up
 * to LARGE_GRAPH nodes are laid out by elkjs, which the browser runs in a web worker (see
 * elkWorker.ts); larger ones by our own layered layout (layered.ts), in a few milliseconds where
 * ELK took a second or more. Tests and the benchmark run the same function on ELK's in-thread
 * bundle.
 */
import type { ELK, ElkNode } from 'elkjs/lib/elk-api';
import { layeredLayout } from './layered';

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 72;

export interface Position {
  readonly x: number;
  readonly y: number;
}

export interface LayoutInput {
  readonly nodes: readonly string[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

/**
 * ELK options chosen for speed on large graphs (compare with src/bench/ts/layout.bench.ts): the
 * layered algorithm left to right, longest-path layering, one light crossing-minimisation pass
 * without the greedy switch, and simple node placement, which at 500 nodes took about a quarter
 * of the time Brandes-Köpf with network-simplex layering took. Edges are drawn by React Flow.
 */
export const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '60',
  'elk.spacing.nodeNode': '24',
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.edgeRouting': 'POLYLINE',
  'elk.separateConnectedComponents': 'false',
};

/** The graph ELK reads; edges to ids that are not nodes are left out. */
export function elkGraph(input: LayoutInput): ElkNode {
  const ids = new Set(input.nodes);
  return {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS },
    children: input.nodes.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: input.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      .map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
}

/** Graphs with more nodes than this are laid out by layeredLayout rather than by ELK. */
export const LARGE_GRAPH = 200;

/** Lays the graph out; resolves to each node's top-left corner. */
export async function layout(elk: ELK, input: LayoutInput): Promise<Map<string, Position>> {
  if (input.nodes.length > LARGE_GRAPH) return layeredLayout(input);
  return elkLayout(elk, input);
}

/** Lays the graph out with ELK, whatever its size. */
export async function elkLayout(elk: ELK, input: LayoutInput): Promise<Map<string, Position>> {
  const result = await elk.layout(elkGraph(input));
  const positions = new Map<string, Position>();
  for (const child of result.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  return positions;
}

/** A key that changes exactly when the layout would: the node ids and edges, not their statuses. */
export function layoutKey(input: LayoutInput): string {
  return `${input.nodes.join('\u0000')}\u0001${input.edges.map((e) => `${e.from}\u0000${e.to}`).join('\u0000')}`;
}
