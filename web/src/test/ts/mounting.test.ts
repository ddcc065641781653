import { expect, test } from 'vitest';
import { inView } from '../../main/ts/graph/mounting';

test('inView lists the nodes whose box is in the view, nearest its centre first', () => {
  // Boxes are 210 × 72; the view is 1000 × 500 px at zoom 0.5 from layout point (0, 0): 2000 × 1000.
  const positions = new Map([
    ['far-right', { x: 2100, y: 0 }],
    ['corner', { x: -200, y: -70 }],
    ['centre', { x: 900, y: 460 }],
    ['middle', { x: 500, y: 400 }],
    ['below', { x: 900, y: 1001 }],
  ]);
  const ids = ['far-right', 'corner', 'centre', 'middle', 'below', 'no-position'];
  expect(inView(ids, positions, [0, 0, 0.5], 1000, 500)).toEqual(['centre', 'middle', 'corner']);
  // Moved left by 200 px on screen: 400 layout units.
  expect(inView(ids, positions, [-200, 0, 0.5], 1000, 500)).toEqual(['centre', 'middle', 'far-right']);
});
