import { describe, expect, test } from 'vitest';
import { NODE_HEIGHT, NODE_WIDTH, type Position } from '../../main/ts/graph/layout';
import { drawOverview, isOverview, nodeAt } from '../../main/ts/graph/overview';

const positions = new Map<string, Position>([
  ['a', { x: 0, y: 0 }],
  ['b', { x: 300, y: 0 }],
  ['far', { x: 100_000, y: 0 }],
]);

/** A 2D context that records the boxes filled, with the fill style each had. */
function recorder() {
  const filled: [string, number, number, number, number][] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    fillRect(x: number, y: number, w: number, h: number) {
      filled.push([String(this.fillStyle), x, y, w, h]);
    },
  };
  for (const m of ['clearRect', 'save', 'restore', 'translate', 'scale', 'beginPath', 'moveTo', 'bezierCurveTo', 'stroke', 'strokeRect']) {
    (ctx as Record<string, unknown>)[m] = () => undefined;
  }
  return { ctx: ctx as unknown as CanvasRenderingContext2D, filled };
}

describe('the overview canvas', () => {
  test('takes over only for large graphs zoomed out', () => {
    expect(isOverview(2000, 0.1)).toBe(true);
    expect(isOverview(2000, 0.6)).toBe(false);
    expect(isOverview(50, 0.1)).toBe(false);
  });

  test('maps a point to the node drawn there', () => {
    expect(nodeAt(positions, { x: 10, y: 10 })).toBe('a');
    expect(nodeAt(positions, { x: 300 + NODE_WIDTH, y: NODE_HEIGHT })).toBe('b');
    expect(nodeAt(positions, { x: NODE_WIDTH + 10, y: 10 })).toBeUndefined();
  });

  test('draws the boxes in view in their colours, with a solid bar on their left', () => {
    const { ctx, filled } = recorder();
    const colours: Record<string, string> = { a: 'blue', b: 'grey', far: 'red' };
    drawOverview(ctx, { x: 0, y: 0, zoom: 0.1, width: 800, height: 600 }, positions, [{ from: 'a', to: 'b' }], 'a', {
      colour: (id) => colours[id],
      background: 'white',
      line: 'silver',
      selection: 'black',
    });
    const drawnAt = new Set(filled.map(([, x]) => x));
    expect(drawnAt.has(100_000)).toBe(false);
    // At zoom 0.1 the bar is 30 units wide: 3 pixels.
    expect(filled).toContainEqual(['blue', 0, 0, 30, NODE_HEIGHT]);
    expect(filled).toContainEqual(['grey', 300, 0, 30, NODE_HEIGHT]);
    expect(filled).toContainEqual(['white', 300, 0, NODE_WIDTH, NODE_HEIGHT]);
  });
});
