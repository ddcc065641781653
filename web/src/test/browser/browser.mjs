// What the browser tests of the web UI share (run by cli's WebUiBrowserIT against a real
// `orchestra serve`): Debian's Chromium through playwright-core, a login with an API token, steps
// that name themselves in a failure, and the result printed as one JSON object on stdout.
//
//   node web/src/test/browser/SCRIPT.mjs SPEC.json
//
// SPEC.json holds at least `url` (the server's base URL) and `out` (a directory for screenshots);
// each script documents the rest. Exit code 0 with the result on stdout; 1 when a step failed,
// with the step, the error and a screenshot of the page at that moment on stderr.
//
// Environment: ORCHESTRA_BROWSER_MODULES (the node_modules holding playwright-core, from
// `bin/install-browser --print-modules-dir`), ORCHESTRA_CHROMIUM (default /usr/bin/chromium).
//
// Nothing here waits for a time: every wait is for a state of the page (Playwright's locators wait
// until an element is there, visible, or has a text), bounded by generous timeouts for a loaded
// 2-core machine.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How long one wait for the page may take before the step fails. */
export const TIMEOUT_MS = 90_000;

function die(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** The spec file named on the command line. */
export function readSpec() {
  const file = process.argv[2];
  if (!file) die('usage: node SCRIPT.mjs SPEC.json');
  const spec = JSON.parse(readFileSync(file, 'utf8'));
  for (const key of ['url', 'out']) if (!spec[key]) die(`${file} has no "${key}"`);
  mkdirSync(spec.out, { recursive: true });
  return spec;
}

function playwright() {
  const modules = process.env.ORCHESTRA_BROWSER_MODULES;
  if (!modules || !existsSync(join(modules, 'playwright-core'))) {
    die(`no playwright-core in ORCHESTRA_BROWSER_MODULES=${modules ?? '(unset)'}; run bin/install-browser`);
  }
  return createRequire(join(modules, 'index.js'))('playwright-core');
}

/**
 * A headless Chromium for one script. `context(options)` opens a fresh browser profile (its own
 * cookies: another person's browser) with Playwright's context options, e.g. `{colorScheme:
 * 'dark'}`; every page of every context is watched for console errors, page errors and failed
 * requests, which `problems()` lists.
 */
export async function launch() {
  const executablePath = process.env.ORCHESTRA_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) die(`no Chromium at ${executablePath}; run bin/install-browser (or set ORCHESTRA_CHROMIUM)`);
  const { chromium } = playwright();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // Debian's Chromium, headless, offline: no sandbox (containers, root), no GPU, no phoning home.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  const watch = (page) => {
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e}`));
    page.on('console', (m) => {
      // The browser reports every 4xx answer as a console error; the tests judge those by what
      // the page shows, and list the answers themselves (failedRequests, statuses).
      if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
        problems.push(`console error on ${page.url()}: ${m.text()}`);
      }
    });
    page.on('requestfailed', (r) => {
      // An event stream is cut when its page goes, and so is the icon the browser fetches on its
      // own after a page loads when the page is reloaded at once: not failures of the page.
      const error = r.failure()?.errorText ?? '';
      const cut = r.url().includes('/events') || r.resourceType() === 'eventsource' || new URL(r.url()).pathname.endsWith('/favicon.svg');
      if (!(error === 'net::ERR_ABORTED' && cut)) {
        problems.push(`request failed: ${r.method()} ${r.url()}: ${error}`);
      }
    });
  };
  const contexts = [];
  return {
    async context(options = {}) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 880 }, locale: 'en-GB', ...options });
      ctx.on('page', watch);
      contexts.push(ctx);
      return ctx;
    },
    problems: () => [...problems],
    close: () => browser.close(),
  };
}

/** Logs in on the login page `page` shows (any page sends there without a session). */
export async function login(page, token) {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('header.top .who').waitFor();
}

/** The box of node `id` on the canvas. */
export function node(page, id) {
  return page.locator(`.react-flow__node[data-id="${id}"] .dag-node`);
}

/** Waits until node `id`'s box shows `status` (its class status-STATUS). */
export async function waitForStatus(page, id, status) {
  await page.locator(`.react-flow__node[data-id="${id}"] .dag-node.status-${status}`).waitFor();
}

/** The node ids on the canvas with the status each shows, e.g. {build: 'running'}. */
export async function statuses(page) {
  return page.locator('.react-flow__node .dag-node').evaluateAll((boxes) =>
    Object.fromEntries(
      boxes.map((b) => [b.closest('.react-flow__node').dataset.id, [...b.classList].find((c) => c.startsWith('status-'))?.slice(7) ?? null]),
    ),
  );
}

/** A computed style property of the first element `locator` matches. */
export async function style(locator, property) {
  return locator.first().evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
}

/** The page's URL fragment, decoded: `/runs/RUN/nodes/NODE?tab=log`. */
export function fragment(page) {
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#/, ''));
}

/**
 * Runs the script's steps in order: `steps` is a list of [name, async () => {...}]. On the first
 * failure the page `current()` returns is photographed, and the script exits 1 naming the step;
 * otherwise the result `result()` returns is printed. The browser is closed either way.
 */
export async function run(spec, browser, current, steps, result) {
  let step = '(start)';
  try {
    for (const [name, f] of steps) {
      step = name;
      await f();
    }
    step = '(after the steps)';
    const problems = browser.problems();
    const out = { ...(await result()), problems };
    await browser.close();
    process.stdout.write(JSON.stringify(out) + '\n');
  } catch (e) {
    let shot = '';
    const page = current();
    if (page) {
      shot = join(spec.out, 'failure.png');
      await page.screenshot({ path: shot }).catch(() => (shot = ''));
    }
    const problems = browser.problems();
    await browser.close().catch(() => undefined);
    process.stderr.write(
      `step "${step}" failed: ${e?.stack ?? e}\n` +
        (page ? `page: ${page.url()}\n` : '') +
        (shot ? `screenshot: ${shot}\n` : '') +
        (problems.length ? `browser problems:\n  ${problems.join('\n  ')}\n` : ''),
    );
    process.exit(1);
  }
}
