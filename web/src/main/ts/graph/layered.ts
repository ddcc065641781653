/**
 * A layered (Sugiyama) layout of our own for large graphs, where ELK in its worker took 0.5 to 1.4 s
 * for 500 nodes on a fresh page (this takes a few milliseconds; src/bench/ts/layout.bench.ts
 * compares them). It draws what ELK's options in layout.ts draw, left to right: longest-path
 * layers with every sink in the last layer, long edges through placeholder ("dummy") nodes so that
 * they pass between boxes, the order within each layer by barycentre sweeps (the order with the
 * fewest crossings kept), then each node moved towards the mean height of its neighbours, as far as
 * the order and the spacing let it.
 */
import { NODE_HEIGHT, NODE_WIDTH, type LayoutInput, type Position } from './layout';

/** Spacing as in LAYOUT_OPTIONS: between layers, between boxes, and around a dummy node. */
const BETWEEN_LAYERS = 60;
const NODE_GAP = 24;
const EDGE_GAP = 12;
/** ELK's padding around the graph. */
const PADDING = 12;
const ORDER_SWEEPS = 8;
const PLACEMENT_SWEEPS = 6;

/** A vertex of the layered graph: one of the input's nodes, or a dummy on a long edge. */
interface Vertex {
  readonly real: boolean;
  /** Input order of the node (a dummy takes its edge's source's): breaks ties. */
  readonly rank: number;
  readonly layer: number;
  readonly up: number[];
  readonly down: number[];
  position: number;
  y: number;
}

/** Lays the graph out; each node's top-left corner, as layout() gives it. */
export function layeredLayout(input: LayoutInput): Map<string, Position> {
  const { vertices, layers } = layeredGraph(input);
  order(vertices, layers);
  place(vertices, layers);
  let top = Infinity;
  for (let i = 0; i < input.nodes.length; i++) top = Math.min(top, vertices[i].y - NODE_HEIGHT / 2);
  const positions = new Map<string, Position>();
  input.nodes.forEach((id, i) => {
    const v = vertices[i];
    if (!positions.has(id)) positions.set(id, { x: PADDING + v.layer * (NODE_WIDTH + BETWEEN_LAYERS), y: PADDING + v.y - NODE_HEIGHT / 2 - top });
  });
  return positions;
}

/**
 * The vertices (the input's nodes first, in their order, then the dummies) and the layers of
 * vertex indexes. An edge that closes a cycle (the editor shows such a graph until the user fixes
 * it) is laid out as if reversed.
 */
function layeredGraph(input: LayoutInput): { vertices: Vertex[]; layers: number[][] } {
  const index = new Map<string, number>();
  input.nodes.forEach((id, i) => index.has(id) || index.set(id, i));
  const n = input.nodes.length;
  const succ: number[][] = Array.from({ length: n }, () => []);
  const seen = new Set<string>();
  for (const e of input.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b || seen.has(`${a} ${b}`)) continue;
    seen.add(`${a} ${b}`);
    succ[a].push(b);
  }
  const edges = acyclic(succ);
  // Height: the longest path to a sink. Layer: counted so that every sink is in the last layer.
  const height = new Array<number>(n).fill(-1);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) out[a].push(b);
  const heightOf = (start: number): void => {
    // Iterative depth-first search: a chain of 2,000 nodes must not overflow the stack.
    const stack: [number, number][] = [[start, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, next] = top;
      if (next < out[v].length) {
        top[1]++;
        const w = out[v][next];
        if (height[w] < 0) stack.push([w, 0]);
      } else {
        let h = 0;
        for (const w of out[v]) h = Math.max(h, height[w] + 1);
        height[v] = h;
        stack.pop();
      }
    }
  };
  let tallest = 0;
  for (let v = 0; v < n; v++) {
    if (height[v] < 0) heightOf(v);
    tallest = Math.max(tallest, height[v]);
  }
  const vertices: Vertex[] = Array.from({ length: n }, (_, i) => ({ real: true, rank: i, layer: tallest - height[i], up: [], down: [], position: 0, y: 0 }));
  for (const [a, b] of edges) {
    let from = a;
    for (let layer = vertices[a].layer + 1; layer < vertices[b].layer; layer++) {
      const dummy = vertices.length;
      vertices.push({ real: false, rank: a, layer, up: [from], down: [], position: 0, y: 0 });
      vertices[from].down.push(dummy);
      from = dummy;
    }
    vertices[from].down.push(b);
    vertices[b].up.push(from);
  }
  const layers: number[][] = Array.from({ length: tallest + 1 }, () => []);
  for (let v = 0; v < vertices.length; v++) layers[vertices[v].layer].push(v);
  return { vertices, layers };
}

/** The edges with those that close a cycle (found depth first, in input order) reversed. */
function acyclic(succ: number[][]): [number, number][] {
  const state = new Uint8Array(succ.length); // 0 unvisited, 1 on the path, 2 done
  const edges: [number, number][] = [];
  for (let start = 0; start < succ.length; start++) {
    if (state[start] !== 0) continue;
    const stack: [number, number][] = [[start, 0]];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, next] = top;
      if (next < succ[v].length) {
        top[1]++;
        const w = succ[v][next];
        if (state[w] === 1) edges.push([w, v]);
        else {
          edges.push([v, w]);
          if (state[w] === 0) {
            state[w] = 1;
            stack.push([w, 0]);
          }
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  // A reversed edge may now duplicate one in the other direction.
  const seen = new Set<string>();
  return edges.filter(([a, b]) => {
    const key = `${a} ${b}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Orders each layer: starting from input order, sweeps right then left, sorting each layer by the
 * mean position of its neighbours in the layer just swept; keeps the order with fewest crossings.
 */
function order(vertices: Vertex[], layers: number[][]): void {
  for (const layer of layers) {
    layer.sort((a, b) => vertices[a].rank - vertices[b].rank || a - b);
    layer.forEach((v, i) => (vertices[v].position = i));
  }
  let best = layers.map((l) => [...l]);
  let fewest = crossings(vertices, layers);
  for (let sweep = 0; sweep < ORDER_SWEEPS && fewest > 0; sweep++) {
    const rightwards = sweep % 2 === 0;
    const from = rightwards ? 1 : layers.length - 2;
    for (let l = from; l >= 0 && l < layers.length; l += rightwards ? 1 : -1) {
      const layer = layers[l];
      const key = new Map<number, number>();
      for (const v of layer) {
        const neighbours = rightwards ? vertices[v].up : vertices[v].down;
        let sum = 0;
        for (const w of neighbours) sum += vertices[w].position;
        // A vertex without neighbours on that side keeps its place.
        key.set(v, neighbours.length === 0 ? vertices[v].position : sum / neighbours.length);
      }
      layer.sort((a, b) => key.get(a)! - key.get(b)! || vertices[a].position - vertices[b].position);
      layer.forEach((v, i) => (vertices[v].position = i));
    }
    const count = crossings(vertices, layers);
    if (count < fewest) {
      fewest = count;
      best = layers.map((l) => [...l]);
    }
  }
  best.forEach((layer, l) => {
    layers[l] = layer;
    layer.forEach((v, i) => (vertices[v].position = i));
  });
}

/** The number of edge crossings between neighbouring layers, for the current positions. */
function crossings(vertices: Vertex[], layers: number[][]): number {
  let count = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    // The edges as (upper, lower) position pairs sorted by upper then lower; a crossing is a pair
    // whose lower positions are inverted: counted with a Fenwick tree over lower positions.
    const pairs: [number, number][] = [];
    for (const v of layers[l]) for (const w of vertices[v].down) pairs.push([vertices[v].position, vertices[w].position]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const size = layers[l + 1].length;
    const tree = new Array<number>(size + 1).fill(0);
    let added = 0;
    for (const [, lower] of pairs) {
      let atMost = 0;
      for (let i = lower + 1; i > 0; i -= i & -i) atMost += tree[i];
      count += added - atMost;
      for (let i = lower + 1; i <= size; i += i & -i) tree[i]++;
      added++;
    }
  }
  return count;
}

/** Half a vertex's height: a box's, or nothing for a dummy (an edge passing through). */
function half(v: Vertex): number {
  return v.real ? NODE_HEIGHT / 2 : 0;
}

/**
 * Vertical centres: each layer packed top-down, then sweeps that move every vertex towards the
 * mean centre of its neighbours in the layer before (alternately after), keeping each layer's order
 * and spacing: an isotonic regression (pool adjacent violators) of the wanted centres.
 */
function place(vertices: Vertex[], layers: number[][]): void {
  const gap = (a: Vertex, b: Vertex) => half(a) + (a.real && b.real ? NODE_GAP : EDGE_GAP) + half(b);
  for (const layer of layers) {
    let y = 0;
    layer.forEach((v, i) => {
      if (i > 0) y += gap(vertices[layer[i - 1]], vertices[v]);
      vertices[v].y = y;
    });
  }
  for (let sweep = 0; sweep < PLACEMENT_SWEEPS; sweep++) {
    const rightwards = sweep % 2 === 0;
    // The first sweeps follow one side, the last ones both: long straight runs, centred fans.
    const both = sweep >= PLACEMENT_SWEEPS / 2;
    for (let k = 0; k < layers.length; k++) {
      const layer = layers[rightwards ? k : layers.length - 1 - k];
      // Offsets make the spacing constraint y[i+1] >= y[i] + gap a plain order: z = y - offset.
      const offset: number[] = [];
      const wanted: number[] = [];
      const weight: number[] = [];
      let o = 0;
      layer.forEach((v, i) => {
        if (i > 0) o += gap(vertices[layer[i - 1]], vertices[v]);
        offset.push(o);
        const vertex = vertices[v];
        const neighbours = both ? [...vertex.up, ...vertex.down] : rightwards ? vertex.up : vertex.down;
        let sum = 0;
        for (const w of neighbours) sum += vertices[w].y;
        wanted.push((neighbours.length === 0 ? vertex.y : sum / neighbours.length) - o);
        // Vertices with neighbours on that side pull harder than those that only keep their place.
        weight.push(neighbours.length === 0 ? 0.1 : neighbours.length);
      });
      isotonic(wanted, weight).forEach((z, i) => (vertices[layer[i]].y = z + offset[i]));
    }
  }
}

/** The non-decreasing sequence nearest to `values` in weighted least squares (pool adjacent violators). */
export function isotonic(values: readonly number[], weights: readonly number[]): number[] {
  const mean: number[] = [];
  const weight: number[] = [];
  const count: number[] = [];
  values.forEach((v, i) => {
    mean.push(v);
    weight.push(weights[i]);
    count.push(1);
    while (mean.length > 1 && mean[mean.length - 2] > mean[mean.length - 1]) {
      const [m, w, c] = [mean.pop()!, weight.pop()!, count.pop()!];
      const last = mean.length - 1;
      mean[last] = (mean[last] * weight[last] + m * w) / (weight[last] + w);
      weight[last] += w;
      count[last] += c;
    }
  });
  const result: number[] = [];
  mean.forEach((m, b) => {
    for (let k = 0; k < count[b]; k++) result.push(m);
  });
  return result;
}
