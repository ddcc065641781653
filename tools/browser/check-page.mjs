// Opens one page in Debian's headless Chromium through playwright-core and prints what a test
// needs to judge it, as one JSON object on stdout:
//
//   node tools/browser/check-page.mjs SPEC.json
//
// SPEC.json:
//   url          the page (a server the test started on 127.0.0.1)
//   viewport     {width, height}, default 1280x900
//   counts       {name: selector}            -> result.counts[name]: matching elements
//   styles       {name: {selector, properties: [css property...]}}
//                                            -> result.styles[name]: the first match's computed
//                                               values, or null when nothing matches
//   screenshot   {path, fullPage}            -> a PNG of the page (after it loaded)
//
// The result: {status (HTTP), title, console: [{type, text, url}], pageErrors: [text],
// failedRequests: [{url, error}], responses: [{url, status}], counts, styles}. Console messages
// include the browser's own reports, e.g. Content-Security-Policy violations ("Refused to ...").
//
// Environment: ORCHESTRA_BROWSER_MODULES (the node_modules holding playwright-core, from
// `bin/install-browser --print-modules-dir`), ORCHESTRA_CHROMIUM (default /usr/bin/chromium).
// Exit code 0 when the page was judged (whatever the verdict), 2 for bad input or no browser.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function fail(message) {
  process.stderr.write(`check-page: ${message}\n`);
  process.exit(2);
}

const specFile = process.argv[2];
if (!specFile) fail('usage: node check-page.mjs SPEC.json');
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
if (!spec.url) fail(`${specFile} names no url`);

const modules = process.env.ORCHESTRA_BROWSER_MODULES;
if (!modules || !existsSync(join(modules, 'playwright-core'))) {
  fail(`no playwright-core in ORCHESTRA_BROWSER_MODULES=${modules ?? '(unset)'}; run bin/install-browser`);
}
const executablePath = process.env.ORCHESTRA_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  fail(`no Chromium at ${executablePath}; run bin/install-browser (or set ORCHESTRA_CHROMIUM)`);
}
const { chromium } = createRequire(join(modules, 'index.js'))('playwright-core');

const profile = mkdtempSync(join(tmpdir(), 'orchestra-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  // Debian's Chromium, headless, offline: no sandbox (containers, root), no GPU, no phoning home.
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: spec.viewport ?? { width: 1280, height: 900 },
});
const result = {
  status: null,
  title: null,
  console: [],
  pageErrors: [],
  failedRequests: [],
  responses: [],
  counts: {},
  styles: {},
};
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => result.console.push({ type: m.type(), text: m.text(), url: m.location().url }));
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('requestfailed', (r) => result.failedRequests.push({ url: r.url(), error: r.failure()?.errorText }));
  page.on('response', (r) => result.responses.push({ url: r.url(), status: r.status() }));
  const response = await page.goto(spec.url, { waitUntil: 'load', timeout: 30000 });
  result.status = response ? response.status() : null;
  result.title = await page.title();
  for (const [name, selector] of Object.entries(spec.counts ?? {})) {
    result.counts[name] = await page.locator(selector).count();
  }
  for (const [name, { selector, properties }] of Object.entries(spec.styles ?? {})) {
    const first = page.locator(selector).first();
    result.styles[name] = (await first.count()) === 0
      ? null
      : await first.evaluate((el, props) => {
          const style = getComputedStyle(el);
          return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
        }, properties);
  }
  if (spec.screenshot?.path) {
    await page.screenshot({ path: spec.screenshot.path, fullPage: Boolean(spec.screenshot.fullPage) });
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + '\n');
