import { describe, expect, test } from 'vitest';
import type { ELK } from 'elkjs/lib/elk-api';
import { isotonic, layeredLayout } from '../../main/ts/graph/layered';
import { LARGE_GRAPH, layout, NODE_HEIGHT, NODE_WIDTH, type Position } from '../../main/ts/graph/layout';

type Edge = { from: string; to: string };

/** A DAG of `n` nodes where each needs one to three earlier ones, some far back (long edges). */
function randomDag(n: number, seed: number): { nodes: string[]; edges: Edge[] } {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const nodes = Array.from({ length: n }, (_, i) => `n${i}`);
  const edges: Edge[] = [];
  for (let i = 1; i < n; i++) {
    for (let k = Math.floor(random() * 3); k >= 0; k--) edges.push({ from: nodes[Math.floor(random() * i)], to: nodes[i] });
  }
  return { nodes, edges };
}

function overlapping(positions: Map<string, Position>): string[] {
  const boxes = [...positions].sort((a, b) => a[1].x - b[1].x || a[1].y - b[1].y);
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length && boxes[j][1].x < boxes[i][1].x + NODE_WIDTH; j++) {
      if (Math.abs(boxes[j][1].y - boxes[i][1].y) < NODE_HEIGHT) found.push(`${boxes[i][0]} and ${boxes[j][0]}`);
    }
  }
  return found;
}

describe('layeredLayout', () => {
  const dag = randomDag(600, 42);
  const positions = layeredLayout(dag);

  test('places every node once, inside the padding', () => {
    expect([...positions.keys()].sort()).toEqual([...dag.nodes].sort());
    for (const p of positions.values()) {
      expect(p.x).toBeGreaterThanOrEqual(12);
      expect(p.y).toBeGreaterThanOrEqual(12 - 1e-9);
    }
    expect(Math.min(...[...positions.values()].map((p) => p.y))).toBeCloseTo(12);
  });

  test('draws every edge left to right, and every sink in the last layer as ELK does', () => {
    for (const e of dag.edges) expect(positions.get(e.to)!.x, `${e.from} -> ${e.to}`).toBeGreaterThan(positions.get(e.from)!.x);
    const last = Math.max(...[...positions.values()].map((p) => p.x));
    const sources = new Set(dag.edges.map((e) => e.from));
    for (const id of dag.nodes.filter((n) => !sources.has(n))) expect(positions.get(id)!.x, id).toBe(last);
  });

  test('never lets two boxes overlap', () => {
    expect(overlapping(positions)).toEqual([]);
  });

  test('lays a grid of parallel chains out as rows, without crossings', () => {
    const nodes = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const edges = nodes.slice(3).map((to, i) => ({ from: nodes[i], to }));
    const grid = layeredLayout({ nodes, edges });
    for (const e of edges) expect(grid.get(e.to)!.y, `${e.from} -> ${e.to}`).toBeCloseTo(grid.get(e.from)!.y);
    expect(new Set(nodes.map((n) => grid.get(n)!.y)).size).toBe(3);
  });

  test('is the same for the same graph', () => {
    expect([...layeredLayout(dag)]).toEqual([...positions]);
  });

  test('lays out a graph with a cycle (the editor shows one until it is fixed) and a long chain', () => {
    const cyclic = layeredLayout({ nodes: ['a', 'b', 'c', 'd'], edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }, { from: 'd', to: 'd' }] });
    expect([...cyclic.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(overlapping(cyclic)).toEqual([]);
    const chain = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    const long = layeredLayout({ nodes: chain, edges: chain.slice(1).map((to, i) => ({ from: chain[i], to })) });
    expect(long.get('k4999')!.x).toBeGreaterThan(long.get('k0')!.x);
  });

  test('leaves out edges to unknown nodes', () => {
    expect([...layeredLayout({ nodes: ['a'], edges: [{ from: 'a', to: 'ghost' }] }).keys()]).toEqual(['a']);
  });
});

test('isotonic regression pools adjacent violators, by weight', () => {
  expect(isotonic([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
  expect(isotonic([5, 1], [3, 1])).toEqual([4, 4]);
  expect(isotonic([1, 2, 3], [1, 1, 1])).toEqual([1, 2, 3]);
});

test('layout() leaves graphs over LARGE_GRAPH nodes to layeredLayout, smaller ones to ELK', async () => {
  const asked: number[] = [];
  const elk = { layout: async (g: { children?: unknown[] }) => (asked.push(g.children?.length ?? 0), { id: 'root', children: [] }) } as unknown as ELK;
  const big = randomDag(LARGE_GRAPH + 1, 1);
  expect((await layout(elk, big)).size).toBe(LARGE_GRAPH + 1);
  await layout(elk, randomDag(LARGE_GRAPH, 1));
  expect(asked).toEqual([LARGE_GRAPH]);
});
