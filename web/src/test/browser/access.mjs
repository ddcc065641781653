// What a token of scope read sees in the web UI, and the API's errors as the page shows them: the
// buttons that need scope run are disabled and say why, a run that does not exist is named as
// such, and logging out leads back to the login.
//
// Spec: {url, out, token (scope read), workflow (stored), run (a cancelled run), missingRun}.
// Result: what the page showed.
import { fragment, launch, login, node, readSpec, run } from './browser.mjs';

const spec = readSpec();
const browser = await launch();
const page = await (await browser.context()).newPage();
const seen = {};
const button = (name) => page.getByRole('button', { name, exact: true });

await run(
  spec,
  browser,
  () => page,
  [
    [
      'log in with a read token',
      async () => {
        await page.goto(spec.url);
        await login(page, spec.token);
        seen.who = await page.locator('header.top .who').innerText();
      },
    ],
    [
      'the editor can be looked at, not saved or run',
      async () => {
        await page.goto(`${spec.url}#/workflows/${spec.workflow}`);
        await node(page, 'build').waitFor();
        await page.locator('form.node-form').waitFor();
        await page.locator('form.node-form').getByLabel('Description').fill('Changed by a reader');
        await page.getByText('unsaved changes').waitFor();
        seen.save = { disabled: await button('Save').isDisabled(), title: await button('Save').locator('..').getAttribute('title') };
        seen.run = await button('Save and run…').isDisabled();
      },
    ],
    [
      'the run view offers no action it may not take',
      async () => {
        await page.goto(`${spec.url}#/runs/${spec.run}`);
        await page.locator('.run-view .page-head .pill.status-cancelled').waitFor();
        seen.resume = { disabled: await button('Resume').isDisabled(), title: await button('Resume').locator('..').getAttribute('title') };
      },
    ],
    [
      'a run that does not exist is named',
      async () => {
        await page.goto(`${spec.url}#/runs/${spec.missingRun}`);
        seen.missing = await page.getByRole('alert').innerText();
      },
    ],
    [
      'log out',
      async () => {
        await button('Log out').click();
        await page.getByLabel('API token').waitFor();
        seen.afterLogout = fragment(page);
        // The session is gone on the server too: a page of the app sends to the login.
        await page.goto(`${spec.url}#/workflows`);
        await page.reload();
        await page.getByLabel('API token').waitFor();
        seen.afterReload = fragment(page);
      },
    ],
  ],
  () => seen,
);
