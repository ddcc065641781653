// Cancelling a run from the web UI against a real server: a run whose first node waits for a file
// that never comes is cancelled with the run view's button; the view follows it to `cancelled`.
//
// Spec: {url, out, token, workflow, version, gate} as for live-run.mjs, with a gate directory the
// script never writes to. Result: what the page showed; the Java test also reads the run's record.
import { fragment, launch, login, node, readSpec, run, statuses, waitForStatus } from './browser.mjs';

const spec = readSpec();
const browser = await launch();
const page = await (await browser.context()).newPage();
const seen = {};

await run(
  spec,
  browser,
  () => page,
  [
    [
      'start a run from the form',
      async () => {
        await page.goto(`${spec.url}#/workflows/${spec.workflow}`);
        await login(page, spec.token);
        await page.getByRole('button', { name: 'Run…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Run with inputs' });
        await dialog.getByLabel('version').fill(spec.version);
        await dialog.getByLabel('gate').fill(spec.gate);
        await dialog.getByRole('button', { name: 'Run', exact: true }).click();
        await page.waitForURL(/#\/runs\/[^/]+$/);
        seen.run = fragment(page).split('/')[2];
      },
    ],
    [
      'build runs and waits',
      async () => {
        await waitForStatus(page, 'build', 'running');
        await node(page, 'build').click();
        await page.locator('aside.panel .log-line', { hasText: `waiting for ${spec.gate}/build` }).waitFor();
        seen.buttonsWhileRunning = await page.locator('.run-view .page-head .actions button').allInnerTexts();
      },
    ],
    [
      'cancel it',
      async () => {
        await page.getByRole('button', { name: 'Cancel', exact: true }).click();
        await page.locator('.run-view .page-head .pill.status-cancelled').waitFor();
        await waitForStatus(page, 'build', 'cancelled');
        seen.runPill = await page.locator('.run-view .page-head .pill').innerText();
        seen.statuses = await statuses(page);
        seen.reason = await page.locator('.run-view > .reason').allInnerTexts();
        seen.buttonsAfter = await page.locator('.run-view .page-head .actions button').allInnerTexts();
      },
    ],
  ],
  () => seen,
);
