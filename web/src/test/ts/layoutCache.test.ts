import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { Position } from '../../main/ts/graph/layout';

/** sessionStorage as the browser has it, for the node environment. */
class Storage {
  private readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
  get length() {
    return this.items.size;
  }
}

/** The module as a freshly loaded page has it: an empty memory, the tab's sessionStorage. */
async function freshPage() {
  vi.resetModules();
  return import('../../main/ts/graph/layoutCache');
}

const layoutOf = (n: number) => new Map<string, Position>([[`a${n}`, { x: n, y: 2 * n }]]);

describe('the layout cache', () => {
  beforeEach(() => vi.stubGlobal('sessionStorage', new Storage()));

  test('gives a graph laid out before back, in this page and after a reload of the tab', async () => {
    const page = await freshPage();
    expect(page.cachedLayout('k1')).toBeUndefined();
    page.cacheLayout('k1', layoutOf(1));
    expect(page.cachedLayout('k1')).toEqual(layoutOf(1));
    const reloaded = await freshPage();
    expect(reloaded.cachedLayout('k1')).toEqual(layoutOf(1));
    expect(reloaded.cachedLayout('k2')).toBeUndefined();
  });

  test('keeps the last four layouts across reloads', async () => {
    const page = await freshPage();
    for (let n = 1; n <= 5; n++) page.cacheLayout(`k${n}`, layoutOf(n));
    expect((sessionStorage as unknown as Storage).length).toBe(5); // four layouts and their index
    const reloaded = await freshPage();
    expect(reloaded.cachedLayout('k1')).toBeUndefined();
    expect(reloaded.cachedLayout('k5')).toEqual(layoutOf(5));
  });

  test('works without sessionStorage', async () => {
    vi.stubGlobal('sessionStorage', undefined);
    const page = await freshPage();
    page.cacheLayout('k1', layoutOf(1));
    expect(page.cachedLayout('k1')).toEqual(layoutOf(1));
  });

  test('hashes differ for different keys', async () => {
    const { hash } = await freshPage();
    expect(hash('a\u0000b')).not.toBe(hash('a\u0000c'));
    expect(hash('same')).toBe(hash('same'));
  });
});
