/**
 * Generated DAGs for the benchmarks: `width` parallel chains of nodes per layer with each node
 * needing one or two nodes of the layer before, like a large fan-out/fan-in workflow.
 */
export function layeredDag(nodes: number, width = 20): { nodes: string[]; edges: { from: string; to: string }[] } {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i}`);
  const edges: { from: string; to: string }[] = [];
  for (let i = width; i < nodes; i++) {
    const layerStart = Math.floor(i / width) * width - width;
    edges.push({ from: ids[layerStart + (i % width)], to: ids[i] });
    if (i % 3 === 0) edges.push({ from: ids[layerStart + ((i * 7) % width)], to: ids[i] });
  }
  return { nodes: ids, edges: dedupe(edges) };
}

function dedupe(edges: { from: string; to: string }[]): { from: string; to: string }[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const k = `${e.from}>${e.to}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
