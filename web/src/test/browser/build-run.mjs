// A new user's first workflow, built in the editor from nothing and run from it: log in, "New
// workflow", name it, add three command nodes from the palette (the second "after" the first, so
// the palette draws that edge; the third with nothing selected, its edge drawn on the canvas), give
// the third a check; the server's problem (a command node without its command) shows on the node
// it concerns and goes when the command is filled in; save; run; watch the statuses change live and
// read the first node's log while it runs; the check fails, and "Retry failed" runs the failed node
// again once what it checks is there.
//
// Spec: {url, out, token, name, gate (an empty directory)}. The first node waits for GATE/go, the
// check of the third looks for GATE/ok: this script writes them once it has seen what comes before,
// so every state is seen for sure.
// Result: what the page showed at each step (see the keys below); the Java test judges it, the
// saved file and the run's records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fragment, launch, login, node, readSpec, run, statuses, waitForStatus } from './browser.mjs';

const spec = readSpec();
const browser = await launch();
const page = await (await browser.context()).newPage();
const seen = {};
const release = (name) => writeFileSync(join(spec.gate, name), '');
const form = (id) => page.locator(`form.node-form[aria-label="fields of node ${id}"]`);
const field = (label) => page.locator('form.node-form').getByLabel(label, { exact: true });
const badges = () => page.locator('.react-flow__node:has(.badge.problem)').evaluateAll((ns) => ns.map((n) => n.dataset.id));
const addCommand = async (id) => {
  await page.getByRole('toolbar', { name: 'add a node' }).getByRole('button', { name: 'command', exact: true }).click();
  await node(page, id).waitFor();
  await form(id).waitFor();
};
const deselect = async () => {
  await page.locator('.canvas').press('Escape');
  await page.waitForFunction(() => !location.hash.includes('/nodes/'));
};
const panel = (id) => page.locator(`aside.panel[aria-label="node ${id}"]`);
// Opens node `id`'s panel by clicking its box. The run's end adds a line above the canvas, which
// moves the boxes down: a click aimed before that lands on the canvas, so it is aimed again.
const open = async (id) => {
  for (let i = 0; ; i++) {
    await node(page, id).click();
    try {
      return await panel(id).waitFor({ timeout: 5_000 });
    } catch (e) {
      if (i === 4) throw e;
    }
  }
};
const pill = () => page.locator('.run-view .page-head .pill');

const FIRST = `echo "step one started"\nwhile [ ! -e "${spec.gate}/go" ]; do sleep 0.2; done\necho "step one done"`;

await run(
  spec,
  browser,
  () => page,
  [
    [
      'log in and start a new workflow',
      async () => {
        await page.goto(spec.url);
        await login(page, spec.token);
        await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Workflows' }).click();
        await page.getByRole('link', { name: 'New workflow' }).click();
        await page.locator('form[aria-label="workflow fields"]').waitFor();
        seen.newFragment = fragment(page);
        await page.getByLabel('Name', { exact: true }).fill(spec.name);
        await page.locator('#editor-title', { hasText: spec.name }).waitFor();
      },
    ],
    [
      'the first node',
      async () => {
        await addCommand('command-1');
        await field('Command (sh -c)').fill(FIRST);
        await page.locator('.react-flow__node[data-id="command-1"] .dag-node-summary', { hasText: 'step one started' }).waitFor();
      },
    ],
    [
      'the second, after the first: the server finds it has no command, on that node only',
      async () => {
        await addCommand('command-2');
        await page.locator('.react-flow__edge[data-id="command-1->command-2"]').waitFor({ state: 'attached' });
        await page.locator('.react-flow__node[data-id="command-2"] .badge.problem').waitFor();
        seen.problemOn = await badges();
        seen.problemField = await form('command-2').locator('.field:has(> .problems[role="alert"]) > .problems').innerText();
      },
    ],
    [
      'filling in its command makes the problem go',
      async () => {
        await field('Command (sh -c)').fill('echo "step two"');
        await page.locator('.react-flow__node[data-id="command-2"] .badge.problem').waitFor({ state: 'detached' });
        await page.locator('.editor .page-head .pill', { hasText: /^valid$/ }).waitFor();
        seen.problemsAfterFix = await badges();
      },
    ],
    [
      'the third, on its own, joined to the first by drawing the edge',
      async () => {
        await deselect();
        await addCommand('command-3');
        await field('Command (sh -c)').fill('echo "step three"');
        const from = page.locator('.react-flow__node[data-id="command-1"] .react-flow__handle.source');
        const to = page.locator('.react-flow__node[data-id="command-3"] .react-flow__handle.target');
        await from.dragTo(to);
        await page.locator('.react-flow__edge[data-id="command-1->command-3"]').waitFor({ state: 'attached' });
      },
    ],
    [
      'a check on the third',
      async () => {
        await form('command-3').getByRole('button', { name: '+ run', exact: true }).click();
        await field('check 1 run').fill(`test -e "${spec.gate}/ok" || { echo "no ok file yet"; exit 1; }`);
        await field('check 1 name').fill('ok file');
        await page.locator('.editor .page-head .pill', { hasText: /^valid$/ }).waitFor();
        seen.edges = await page.locator('.react-flow__edge').evaluateAll((es) => es.map((e) => e.dataset.id).sort());
        seen.nodes = await page.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.dataset.id).sort());
      },
    ],
    [
      'save',
      async () => {
        await page.getByRole('button', { name: 'Save', exact: true }).click();
        await page.getByText('unsaved changes').waitFor({ state: 'detached' });
        seen.savedFragment = fragment(page);
        seen.saveErrors = await page.locator('.banner.error').count();
        // Saved under its name, the editor opens the stored workflow and lays it out again.
        await node(page, 'command-3').waitFor();
        await page.locator('.react-flow__edge[data-id="command-1->command-3"]').waitFor({ state: 'attached' });
        await page.screenshot({ path: `${spec.out}/build-editor.png` });
      },
    ],
    [
      'run it: the first node runs, the others are shown pending',
      async () => {
        await page.getByRole('button', { name: 'Run…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Run with inputs' });
        await dialog.getByRole('button', { name: 'Run', exact: true }).click();
        await page.waitForURL(/#\/runs\/[^/]+$/);
        seen.run = fragment(page).split('/')[2];
        await waitForStatus(page, 'command-1', 'running');
        await page.locator('.run-view .stream.open').waitFor();
        seen.whileRunning = await statuses(page);
      },
    ],
    [
      "the first node's log while it runs",
      async () => {
        await open('command-1');
        await panel('command-1').locator('.log-line', { hasText: 'step one started' }).waitFor();
        seen.logWhileRunning = await panel('command-1').locator('.log-line').allInnerTexts();
        seen.statusWithLog = (await statuses(page))['command-1'];
      },
    ],
    [
      'the first ends; the second succeeds; the check of the third fails, and so does the run',
      async () => {
        release('go');
        await panel('command-1').locator('.log-line', { hasText: 'step one done' }).waitFor();
        await waitForStatus(page, 'command-1', 'succeeded');
        await waitForStatus(page, 'command-2', 'succeeded');
        await waitForStatus(page, 'command-3', 'failed');
        await page.locator('.run-view .page-head .pill.status-failed').waitFor();
        seen.afterFailure = await statuses(page);
        seen.runPillFailed = await pill().innerText();
        await open('command-3');
        await panel('command-3').getByRole('tab', { name: 'checks' }).click();
        seen.failedCheck = await panel('command-3').locator('ol.checks li.failed').innerText();
        seen.buttonsWhenFailed = await page.locator('.run-view .page-head .actions button').allInnerTexts();
        await page.screenshot({ path: `${spec.out}/build-run-failed.png` });
      },
    ],
    [
      'retry the failed node once its check can pass',
      async () => {
        release('ok');
        await page.getByRole('button', { name: 'Retry failed' }).click();
        await waitForStatus(page, 'command-3', 'succeeded');
        await page.locator('.run-view .page-head .pill.status-succeeded').waitFor();
        seen.afterRetry = await statuses(page);
        seen.runPillAfterRetry = await pill().innerText();
        await panel('command-3').locator('ol.checks li.passed').waitFor();
        seen.passedCheck = await panel('command-3').locator('ol.checks li.passed').first().innerText();
      },
    ],
  ],
  () => seen,
);
