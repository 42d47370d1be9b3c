// Shared helpers of the browser tests: Debian's Chromium through playwright-core (never a
// downloaded browser), sign-in, screenshots.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? 'target/e2e-screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

export const PASSWORD = 'clientele-demo';
export const EMAILS = {
  admin: 'admin@clientele.local',
  manager: 'manager@clientele.local',
  recruiter: 'recruiter@clientele.local',
  analyst: 'analyst@clientele.local',
};

/** Debian's Chromium, with the flags that keep it from dialling out. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A fresh page (its own context: no shared session) that fails loudly on app panics. */
export async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, baseURL: BASE_URL });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  waitsForTheApp(page);
  return page;
}

/**
 * Makes the page's navigations (goto, reload, back, forward) wait until the app has taken
 * over the page the server rendered, as a person sees it come alive: until then the page is
 * the server's first paint, whose buttons do nothing yet.
 */
export function waitsForTheApp(page) {
  for (const method of ['goto', 'reload', 'goBack', 'goForward']) {
    const original = page[method].bind(page);
    page[method] = async (...args) => {
      const response = await original(...args);
      await page.waitForFunction(() => window.clienteleStarted === true
        || !document.querySelector('script[type="module"]')?.textContent?.includes('clienteleStarted'));
      return response;
    };
  }
}

/** Signs in through the form as the demo user of `role` and waits for the client list. */
export async function signIn(page, role) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(EMAILS[role]);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/clients');
  await page.getByRole('heading', { name: 'Clients' }).waitFor();
}

/**
 * From the next page load on, records every layout shift (the page moving under the
 * reader's eyes as parts of it arrive) and whether a sign-in form was ever shown; read
 * them with `watched(page)`.
 */
export async function watchLoading(page) {
  await page.addInitScript(() => {
    const seen = { shifts: [], signInShown: false };
    window.__watched = seen;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        seen.shifts.push({ value: e.value, moved: e.sources.map((s) => s.node?.nodeName ?? '?').join(' ') });
      }
    }).observe({ type: 'layout-shift', buffered: true });
    new MutationObserver(() => {
      if (document.querySelector('input[type="password"]')) seen.signInShown = true;
    }).observe(document, { childList: true, subtree: true });
  });
}

/** What `watchLoading` saw on this page so far. */
export const watched = (page) => page.evaluate(() => window.__watched);

/**
 * Holds the app's GraphQL answers to the operations named in `delays` back that many ms
 * (`'*'`: every other operation).
 */
export async function delayOperations(page, delays) {
  await page.route('**/graphql', async (route) => {
    const name = route.request().postDataJSON()?.operationName;
    const ms = delays[name] ?? delays['*'];
    if (ms) await new Promise((resolve) => { setTimeout(resolve, ms); });
    await route.continue();
  });
}

/** axe-core's script, run in the page by `checkA11y`. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
// axe's best-practice rules that Lighthouse's accessibility score also counts.
const BEST_PRACTICE = ['heading-order', 'empty-heading', 'landmark-one-main', 'skip-link',
  'identical-links-same-purpose', 'empty-table-header', 'table-duplicate-name'];
const PHONE = { width: 390, height: 844 };

/**
 * Runs axe-core's WCAG 2.2 A and AA rules (and the best-practice rules Lighthouse counts) on
 * the page as it is, at its width and at 390 px,
 * and throws listing every violation (rule, impact, the first nodes and why).
 */
export async function checkA11y(page, state) {
  const original = page.viewportSize();
  const found = [];
  for (const size of original.width === PHONE.width ? [original] : [original, PHONE]) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    // A string is run as a script by the debugger protocol, outside the page's CSP.
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
    const violations = await page.evaluate(async ({ tags, extra }) => {
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        rules: Object.fromEntries(extra.map((rule) => [rule, { enabled: true }])),
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
      }));
    }, { tags: WCAG, extra: BEST_PRACTICE });
    for (const v of violations) found.push({ width: size.width, ...v });
  }
  await page.setViewportSize(original);
  if (found.length > 0) {
    throw new Error(`axe: ${found.length} WCAG violation(s) in "${state}":\n${JSON.stringify(found, null, 2)}`);
  }
}

/**
 * Saves a screenshot under target/e2e-screenshots/, after checking the state with axe at
 * its width and at 390 px (`{ a11y: false }` for pages that are not the app's).
 */
export async function shot(page, name, { a11y = true } = {}) {
  if (a11y) await checkA11y(page, name);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * A bearer token of the user signed in on this page, for a test's own API calls. The app's
 * session is an HttpOnly cookie no script can read, so this signs the same user in again
 * through `login`, as a service or an analyst would.
 */
export async function tokenOf(page) {
  return page.evaluate(async (password) => {
    const email = JSON.parse(sessionStorage.getItem('clientele.session') ?? '{}').user?.email;
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
        variables: { e: email, p: password },
      }),
    });
    return (await response.json()).data.login.token;
  }, PASSWORD);
}

/** The CSRF token the server pairs with a session token (as `auth::cookie::CsrfKeys`). */
export function csrfFor(sessionToken) {
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET is not set (run through `cargo xtask test`)');
  const key = createHmac('sha256', secret).update('clientele csrf v1').digest();
  return createHmac('sha256', key).update(sessionToken).digest('base64url');
}

/** Posts a GraphQL operation from inside the page, as the app would. */
export async function graphql(page, token, query, variables = {}) {
  return page.evaluate(
    async ({ token, query, variables }) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    { token, query, variables },
  );
}

/**
 * Creates a client through the API as the user signed in on `page` (or with `token`), from
 * `input` (a `CreateClientInput`; not a likely duplicate); its id.
 */
export async function createClient(page, input, token = undefined) {
  const answer = await graphql(page, token ?? await tokenOf(page),
    'mutation($i: CreateClientInput!) { createClient(input: $i) { id } }',
    { i: { confirmNotDuplicate: true, ...input } });
  if (!answer.data) throw new Error(`createClient: ${JSON.stringify(answer)}`);
  return answer.data.createClient.id;
}

/** A session token signed with the server's key (HS256) whose `exp` is already past. */
export function expiredToken(userId, role) {
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET is not set (run through `cargo xtask test`)');
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, role, iat: now - 7200, exp: now - 3600 })}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** Runs SQL on the server's database: a change made behind the app's back (another user). */
export function sql(statement) {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set (run through `cargo xtask test`)');
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', statement]);
}

/** Signs in through the API (not the form) and returns the token and user. */
export async function apiLogin(page, role) {
  return page.evaluate(async ({ email, password }) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { id fullName email role } } }',
        variables: { e: email, p: password },
      }),
    });
    return (await response.json()).data.login;
  }, { email: EMAILS[role], password: PASSWORD });
}
