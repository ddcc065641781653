// A run started from the web UI and watched live against a real server: the run form from the
// workflow's inputs, the run view following the event stream (statuses and their colours, the
// attempt badge, a node's live log and its checks), a node's URL opened in another browser (through
// the login) and in a new tab of this one, where the approval gate is approved; the first tab sees
// the run to its end without fetching the run again. Photographs the run view in the light and the
// dark theme.
//
// Spec: {url, out, token, workflow, version, gate}. The workflow (cli's web/release.yaml) has
// nodes build -> {test, docs} -> deploy; build waits for the file GATE/build, test fails its check
// on attempt 1 and its attempt 2 waits for GATE/test, deploy has an approval gate. This script
// writes the gate files once it has seen the node waiting, so every state is seen for sure.
// Result: what the page showed (see the keys below); the Java test judges it and the run's records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fragment, launch, login, node, readSpec, run, statuses, style, waitForStatus } from './browser.mjs';

const spec = readSpec();
const browser = await launch();
const ctx = await browser.context();
let page = await ctx.newPage();
const first = page;
const seen = { snapshotFetches: [], streams: [] };
let runId = null;

// Every fetch of the run's snapshot and every event stream the first tab opens.
first.on('request', (r) => {
  const path = new URL(r.url()).pathname;
  if (runId && path === `/api/v1/runs/${runId}`) seen.snapshotFetches.push(seen.step);
  if (path.endsWith('/events')) seen.streams.push(`${path}${new URL(r.url()).search}`);
});
const step = (name, f) => [name, async () => ((seen.step = name), await f())];
const release = (name) => writeFileSync(join(spec.gate, name), '');
const panel = (p, id) => p.locator(`aside.panel[aria-label="node ${id}"]`);
const colour = (id) => style(node(page, id), 'border-left-color');

await run(
  spec,
  browser,
  () => page,
  [
    step('log in and open the workflow', async () => {
      await page.goto(`${spec.url}#/workflows/${spec.workflow}`);
      await login(page, spec.token);
      await node(page, 'deploy').waitFor();
    }),
    step('the run form asks for the inputs', async () => {
      await page.getByRole('button', { name: 'Run…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Run with inputs' });
      seen.inputs = await dialog.locator('.field > label').allInnerTexts();
      seen.requiredInputs = await dialog.locator('textarea[required]').evaluateAll((a) => a.map((t) => t.id));
      await dialog.getByLabel('version').fill(spec.version);
      await dialog.getByLabel('gate').fill(spec.gate);
      await dialog.getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForURL(/#\/runs\/[^/]+$/);
      runId = fragment(page).split('/')[2];
      seen.run = runId;
    }),
    step('the live view shows build running and the nodes not started yet', async () => {
      await waitForStatus(page, 'build', 'running');
      await page.locator('.run-view .stream.open').waitFor();
      seen.whileBuilding = await statuses(page);
      seen.runningColour = await colour('build');
      seen.pendingColour = await colour('deploy');
    }),
    step("build's live log", async () => {
      await node(page, 'build').click();
      await panel(page, 'build').waitFor();
      seen.panelFragment = fragment(page);
      await panel(page, 'build').locator('.log-line', { hasText: `waiting for ${spec.gate}/build` }).waitFor();
      seen.buildLog = await panel(page, 'build').locator('.log-line').allInnerTexts();
    }),
    step('build ends, test fails its check and runs again', async () => {
      release('build');
      await panel(page, 'build').locator('.log-line', { hasText: 'built' }).waitFor();
      await waitForStatus(page, 'build', 'succeeded');
      seen.succeededColour = await colour('build');
      // Attempt 2 of test waits for its gate: the badge and the status are there to be seen.
      await page.locator('.react-flow__node[data-id="test"] .badge', { hasText: '×2' }).waitFor();
      await waitForStatus(page, 'test', 'running');
      seen.testBadge = await page.locator('.react-flow__node[data-id="test"] .badge').innerText();
      seen.testBadgeTitle = await page.locator('.react-flow__node[data-id="test"] .badge').getAttribute('title');
    }),
    step("test's checks: attempt 1's failure and its output", async () => {
      await node(page, 'test').click();
      await panel(page, 'test').getByRole('tab', { name: 'checks' }).click();
      const pick = panel(page, 'test').getByLabel('Attempt');
      await pick.locator('option', { hasText: '1 · failed' }).waitFor({ state: 'attached' });
      seen.attempts = await pick.locator('option').allInnerTexts();
      await pick.selectOption('1');
      const failed = panel(page, 'test').locator('ol.checks li.failed');
      await failed.waitFor();
      seen.failedCheck = await failed.innerText();
      seen.checksFragment = fragment(page);
    }),
    step("test's second attempt passes; deploy waits for approval", async () => {
      release('test');
      await waitForStatus(page, 'test', 'succeeded');
      await waitForStatus(page, 'docs', 'succeeded');
      await waitForStatus(page, 'deploy', 'waiting_approval');
      seen.waitingColour = await colour('deploy');
      seen.beforeApproval = await statuses(page);
      await page.screenshot({ path: `${spec.out}/run-light.png` });
    }),
    step("another browser opens test's checks by its URL, through the login", async () => {
      const dark = await browser.context({ colorScheme: 'dark' });
      page = await dark.newPage();
      await page.goto(`${spec.url}#/runs/${runId}/nodes/test?tab=checks`);
      await login(page, spec.token);
      await panel(page, 'test').waitFor();
      await panel(page, 'test').locator('ol.checks li.passed').waitFor();
      seen.sharedFragment = fragment(page);
      seen.sharedTab = await panel(page, 'test').getByRole('tab', { selected: true }).innerText();
      seen.sharedCheck = await panel(page, 'test').locator('ol.checks li').first().innerText();
      await waitForStatus(page, 'deploy', 'waiting_approval');
      await page.locator('.react-flow__node[data-id="test"] .dag-node.selected').waitFor();
      seen.darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.screenshot({ path: `${spec.out}/run-dark.png` });
    }),
    step("a new tab opens deploy's URL and approves it", async () => {
      page = await ctx.newPage();
      await page.goto(`${spec.url}#/runs/${runId}/nodes/deploy`);
      const box = panel(page, 'deploy').locator('.approval');
      await box.waitFor();
      seen.question = await box.locator('p').first().innerText();
      await box.getByLabel('Comment').fill('ship it');
      await box.getByRole('button', { name: 'Approve' }).click();
      await box.waitFor({ state: 'detached' });
      await waitForStatus(page, 'deploy', 'succeeded');
      await page.close();
      page = first;
    }),
    step('the first tab follows the run to its end from the stream', async () => {
      await waitForStatus(page, 'deploy', 'succeeded');
      await page.locator('.run-view .page-head .pill.status-succeeded').waitFor();
      seen.final = await statuses(page);
      seen.runPill = await page.locator('.run-view .page-head .pill').innerText();
      seen.totals = await page.locator('.run-view dl.totals').innerText();
      await node(page, 'deploy').click();
      await panel(page, 'deploy').getByRole('tab', { name: 'log' }).click();
      await panel(page, 'deploy').locator('.log-line', { hasText: 'deployed' }).waitFor();
      seen.deployLog = await panel(page, 'deploy').locator('.log-line').allInnerTexts();
      await panel(page, 'deploy').getByRole('tab', { name: 'output' }).click();
      seen.deployOutput = await panel(page, 'deploy').locator('pre.text').innerText();
    }),
    step('the runs list shows the run', async () => {
      await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Runs' }).click();
      const row = page.locator('table.list tbody tr', { hasText: runId });
      await row.waitFor();
      seen.listRow = await row.locator('td').allInnerTexts();
    }),
  ],
  () => seen,
);
