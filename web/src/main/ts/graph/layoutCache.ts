/**
 * Computed layouts kept for the tab's session, so that a graph opened again (the run view after
 * the runs list, another run of the same workflow version, a reload of the tab) is drawn without
 * laying it out again. Keyed by the layout key (node ids and edges, not statuses): in memory for
 * this page, and in sessionStorage under a hash of the key for reloads, the last few only.
 */
import type { Position } from './layout';

/** How many layouts the page keeps in memory, and how many sessionStorage keeps (a 2,000-node one takes about 100 kB). */
const IN_MEMORY = 20;
const STORED = 4;
const PREFIX = 'orchestra.layout.';
const INDEX = 'orchestra.layouts';

const memory = new Map<string, Map<string, Position>>();

/** The layout cached for `key`, or undefined. */
export function cachedLayout(key: string): Map<string, Position> | undefined {
  const hit = memory.get(key) ?? read(key);
  if (hit) remember(key, hit);
  return hit;
}

/** Keeps `positions` as the layout of `key`. */
export function cacheLayout(key: string, positions: Map<string, Position>): void {
  remember(key, positions);
  try {
    const h = hash(key);
    const index = (JSON.parse(sessionStorage.getItem(INDEX) ?? '[]') as string[]).filter((k) => k !== h);
    index.push(h);
    while (index.length > STORED) sessionStorage.removeItem(PREFIX + index.shift());
    sessionStorage.setItem(PREFIX + h, JSON.stringify({ key, nodes: [...positions].map(([id, p]) => [id, p.x, p.y]) }));
    sessionStorage.setItem(INDEX, JSON.stringify(index));
  } catch {
    // No sessionStorage (disabled, or full): the page's memory still has it.
  }
}

function remember(key: string, positions: Map<string, Position>): void {
  memory.delete(key);
  memory.set(key, positions);
  for (const old of memory.keys()) {
    if (memory.size <= IN_MEMORY) break;
    memory.delete(old);
  }
}

function read(key: string): Map<string, Position> | undefined {
  try {
    const text = sessionStorage.getItem(PREFIX + hash(key));
    if (!text) return undefined;
    const entry = JSON.parse(text) as { key: string; nodes: [string, number, number][] };
    // Hashes can collide: the whole key must match.
    if (entry.key !== key) return undefined;
    return new Map(entry.nodes.map(([id, x, y]) => [id, { x, y }]));
  } catch {
    return undefined;
  }
}

/** A 53-bit hash of a string (cyrb53), in hex. */
export function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}
