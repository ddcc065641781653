// The workflow editor against a real server: log in (a wrong token first), open the workflows list,
// open a stored hand-written workflow, move around its canvas with the keyboard, edit a prompt in
// the form and save (the stored file is read back), add a node from the palette, see the server's validation problem on that node, try to
// save (refused, the problem shown), draw an edge, fix the problem, save; then open the node's URL
// in a new tab, and photograph the editor in the light and the dark theme.
//
// Spec: {url, out, token, workflow (stored, with nodes draft -> review)}.
// Result: what the page showed at each step (see the keys below); the Java test judges it, and the
// saved file, which it reads from the server.
import { fragment, launch, login, node, readSpec, run } from './browser.mjs';

const spec = readSpec();
const browser = await launch();
const ctx = await browser.context();
let page = await ctx.newPage();
const seen = {};
const editor = (suffix = '') => `${spec.url}#/workflows/${spec.workflow}${suffix}`;
const badge = (id) => page.locator(`.react-flow__node[data-id="${id}"] .badge.problem`);
const field = (label) => page.locator('form.node-form').getByLabel(label, { exact: true });

await run(
  spec,
  browser,
  () => page,
  [
    [
      'a wrong token is refused with the reason',
      async () => {
        await page.goto(spec.url);
        await login(page, 'orc_this-is-not-a-token').catch(() => undefined);
        seen.loginError = await page.getByRole('alert').innerText();
      },
    ],
    [
      'log in with the token',
      async () => {
        await login(page, spec.token);
        seen.afterLogin = fragment(page);
        seen.who = await page.locator('header.top .who').innerText();
      },
    ],
    [
      'the workflows list',
      async () => {
        await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Workflows' }).click();
        await page.locator('table.list tbody tr').first().waitFor();
        seen.workflows = await page.locator('table.list tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.innerText.trim())));
      },
    ],
    [
      'open the workflow',
      async () => {
        await page.getByRole('link', { name: spec.workflow, exact: true }).click();
        await node(page, 'draft').waitFor();
        await node(page, 'review').waitFor();
        await page.getByText('valid', { exact: true }).waitFor();
        seen.opened = fragment(page);
      },
    ],
    [
      'move between nodes with the keyboard',
      async () => {
        // Tab from the last control before the canvas (the palette's library list) reaches it.
        await page.getByRole('toolbar', { name: 'add a node' }).locator('button, select').last().focus();
        await page.keyboard.press('Tab');
        seen.canvasFocused = await page.evaluate(() => document.activeElement?.classList.contains('canvas') ?? false);
        seen.keys = [];
        for (const key of ['Home', 'ArrowRight', 'ArrowLeft', 'End', 'Escape']) {
          const before = page.url();
          await page.keyboard.press(key);
          await page.waitForFunction((b) => location.href !== b, before);
          seen.keys.push([key, fragment(page), await page.locator('.dag-node.selected .dag-node-id').allInnerTexts()]);
        }
      },
    ],
    [
      'edit the prompt of review in the form',
      async () => {
        await node(page, 'review').click();
        await page.locator('form.node-form[aria-label="fields of node review"]').waitFor();
        await field('Prompt').fill('Review the notes for typos');
        await page.locator('.react-flow__node[data-id="review"] .dag-node-summary', { hasText: 'Review the notes for typos' }).waitFor();
      },
    ],
    [
      'save the one edit; the stored file as the server has it',
      async () => {
        await page.getByRole('button', { name: 'Save', exact: true }).click();
        await page.getByText('unsaved changes').waitFor({ state: 'detached' });
        seen.afterPromptEdit = await page.evaluate((name) => fetch(`/api/v1/workflows/${name}`).then((r) => r.json()).then((w) => w.yaml), spec.workflow);
      },
    ],
    [
      'add a command node from the palette',
      async () => {
        await page.locator('.canvas').press('Escape');
        await page.waitForFunction(() => !location.hash.includes('/nodes/'));
        await page.getByRole('toolbar', { name: 'add a node' }).getByRole('button', { name: 'command', exact: true }).click();
        await node(page, 'command-1').waitFor();
        await page.locator('form.node-form[aria-label="fields of node command-1"]').waitFor();
        seen.added = fragment(page);
      },
    ],
    [
      'the server says the new node lacks its command, on that node',
      async () => {
        await badge('command-1').waitFor();
        seen.badges = await page.locator('.react-flow__node:has(.badge.problem)').evaluateAll((ns) => ns.map((n) => n.dataset.id));
        seen.badge = await badge('command-1').innerText();
        const fieldWithProblem = page.locator('form.node-form .field:has(> .problems[role="alert"])');
        seen.fieldProblem = [await fieldWithProblem.locator('> label').innerText(), await fieldWithProblem.locator('> .problems').innerText()];
        seen.pill = await page.locator('.editor .page-head .pill').innerText();
      },
    ],
    [
      'saving with a problem is refused, and says why',
      async () => {
        await page.getByRole('button', { name: 'Save', exact: true }).click();
        seen.saveError = await page.locator('.banner.error[role="alert"]').innerText();
      },
    ],
    [
      'draw an edge from review to the new node',
      async () => {
        const from = page.locator('.react-flow__node[data-id="review"] .react-flow__handle.source');
        const to = page.locator('.react-flow__node[data-id="command-1"] .react-flow__handle.target');
        await from.dragTo(to);
        await page.locator('.react-flow__edge[data-id="review->command-1"]').waitFor({ state: 'attached' });
        seen.needsChecked = await page.locator('form.node-form fieldset:has(legend:text-is("Needs")) label', { hasText: 'review' }).locator('input').isChecked();
      },
    ],
    [
      'fill in the command; the problem goes',
      async () => {
        await field('Command (sh -c)').fill('echo published');
        await badge('command-1').waitFor({ state: 'detached' });
        await page.locator('.editor .page-head .pill', { hasText: /^valid$/ }).waitFor();
        seen.badgesAfterFix = await page.locator('.react-flow__node:has(.badge.problem)').count();
      },
    ],
    [
      'save',
      async () => {
        await page.getByRole('button', { name: 'Save', exact: true }).click();
        await page.getByText('unsaved changes').waitFor({ state: 'detached' });
        seen.saveErrorAfter = await page.locator('.banner.error').count();
      },
    ],
    [
      'the YAML tab shows the saved text',
      async () => {
        await page.getByRole('tab', { name: 'YAML' }).click();
        await page.locator('.cm-content').waitFor();
        seen.yamlTab = await page.locator('.cm-content').innerText();
        seen.yamlFragment = fragment(page);
      },
    ],
    [
      "the node's URL opens it in a new tab",
      async () => {
        page = await ctx.newPage();
        await page.goto(editor('/nodes/command-1'));
        await page.locator('form.node-form[aria-label="fields of node command-1"]').waitFor();
        seen.sharedCommand = await field('Command (sh -c)').inputValue();
        await page.locator('.react-flow__edge[data-id="review->command-1"]').waitFor({ state: 'attached' });
        await page.locator('.react-flow__node[data-id="command-1"] .dag-node.selected').waitFor();
        seen.sharedSelected = await page.locator('.dag-node.selected .dag-node-id').allInnerTexts();
        await page.screenshot({ path: `${spec.out}/editor-light.png` });
      },
    ],
    [
      'the editor in the dark theme',
      async () => {
        const dark = await browser.context({ colorScheme: 'dark' });
        page = await dark.newPage();
        // A link opened without a session goes through the login and back to it.
        await page.goto(editor('/nodes/command-1'));
        await login(page, spec.token);
        await page.locator('form.node-form[aria-label="fields of node command-1"]').waitFor();
        await page.locator('.react-flow__edge[data-id="review->command-1"]').waitFor({ state: 'attached' });
        seen.darkFragment = fragment(page);
        seen.darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        await page.screenshot({ path: `${spec.out}/editor-dark.png` });
      },
    ],
  ],
  () => seen,
);
