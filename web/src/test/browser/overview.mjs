// The overview canvas of a large run against a real server: a running 1,000-node run zoomed out
// with Fit view is drawn on one <canvas>, no node boxes left in the DOM, each node in its status
// colour; a click on a node drawn there opens that node's panel; the arrow keys still move the
// selection, and zoom back in to the node boxes (mounted over a few frames, until the canvas goes).
//
// Spec: {url, out, token, run, running}: a run with more than 300 nodes, its first node `running`
// running and the others pending. Result: what the page showed, with `pending`, the pending node
// it clicked (the first one drawn in the first view of the run).
import { fragment, launch, login, node, readSpec, run, waitForStatus } from './browser.mjs';

const spec = readSpec();
const browser = await launch();
const page = await (await browser.context()).newPage();
const seen = {};

/** The viewport's transform: where layout point (0, 0) is on screen, and the zoom. */
async function viewport() {
  return page.locator('.react-flow__viewport').evaluate((el) => {
    const m = new DOMMatrixReadOnly(getComputedStyle(el).transform);
    const r = el.closest('.react-flow').getBoundingClientRect();
    return { x: r.left + m.e, y: r.top + m.f, zoom: m.a };
  });
}

/** Once every box in view is mounted: no canvas left drawing those still waiting. */
async function allMounted() {
  await page.waitForFunction(() => document.querySelector('canvas.overview') === null);
}

/** Node `id`'s box in layout coordinates, read from its DOM box. */
async function layoutBox(id) {
  const b = await node(page, id).boundingBox();
  const v = await viewport();
  return { x: (b.x - v.x) / v.zoom, y: (b.y - v.y) / v.zoom, width: b.width / v.zoom, height: b.height / v.zoom };
}

/** Where a layout point is on screen now. */
async function onScreen(p) {
  const v = await viewport();
  return { x: v.x + p.x * v.zoom, y: v.y + p.y * v.zoom };
}

/** The colour the overview canvas has at a screen point, once something is drawn there. */
async function pixel(p) {
  const handle = await page.waitForFunction(
    ({ x, y }) => {
      const canvas = document.querySelector('canvas.overview');
      if (!canvas) return null;
      const r = canvas.getBoundingClientRect();
      const ratio = canvas.width / r.width;
      const [red, green, blue, alpha] = canvas.getContext('2d').getImageData(Math.floor((x - r.left) * ratio), Math.floor((y - r.top) * ratio), 1, 1).data;
      return alpha === 255 ? `rgb(${red}, ${green}, ${blue})` : null;
    },
    p,
  );
  return handle.jsonValue();
}

/** A point on node `box`'s coloured left bar (3 px wide on screen or more), and its centre. */
async function points(box) {
  const v = await viewport();
  const bar = await onScreen({ x: box.x, y: box.y + box.height / 2 });
  return { bar: { x: bar.x + Math.max(1.5, (5 * v.zoom) / 2), y: bar.y }, centre: await onScreen({ x: box.x + box.width / 2, y: box.y + box.height / 2 }) };
}

await run(
  spec,
  browser,
  () => page,
  [
    [
      'open the run',
      async () => {
        await page.goto(`${spec.url}#/runs/${spec.run}`);
        await login(page, spec.token);
        await waitForStatus(page, spec.running, 'running');
        // The boxes in view are mounted over a few frames, the rest drawn on the canvas meanwhile.
        await allMounted();
        seen.pending = await page.locator('.react-flow__node:has(.dag-node.status-pending)').first().getAttribute('data-id');
        seen.canvasAtFirst = await page.locator('canvas.overview').count();
      },
    ],
    [
      'zoom out to the whole graph',
      async () => {
        const running = await layoutBox(spec.running);
        const pending = await layoutBox(seen.pending);
        await page.locator('.react-flow__controls-fitview').click();
        await page.locator('canvas.overview').waitFor();
        await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 0);
        seen.zoom = (await viewport()).zoom;
        seen.nodeBoxes = await page.locator('.react-flow__node').count();
        seen.edgePaths = await page.locator('.react-flow__edge').count();
        const r = await points(running);
        const p = await points(pending);
        seen.runningColour = await pixel(r.bar);
        seen.pendingColour = await pixel(p.bar);
        seen.pendingCentre = p.centre;
        await page.screenshot({ path: `${spec.out}/overview.png` });
      },
    ],
    [
      'click a node drawn on the canvas',
      async () => {
        await page.mouse.click(seen.pendingCentre.x, seen.pendingCentre.y);
        await page.locator(`aside.panel[aria-label="node ${seen.pending}"]`).waitFor();
        seen.clickedFragment = fragment(page);
        seen.canvasAfterClick = await page.locator('canvas.overview').count();
      },
    ],
    [
      'move the selection with the keyboard',
      async () => {
        await page.locator('.canvas').focus();
        await page.keyboard.press('Home');
        await page.locator('.react-flow__node .dag-node.selected').waitFor();
        seen.homeFragment = fragment(page);
        seen.selectedBox = await page.locator('.react-flow__node:has(.dag-node.selected)').getAttribute('data-id');
        await allMounted();
        seen.canvasAfterKey = await page.locator('canvas.overview').count();
        seen.boxesAfterKey = await page.locator('.react-flow__node').count();
      },
    ],
  ],
  () => seen,
);
