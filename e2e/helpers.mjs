// Shared helpers of the browser tests: Debian's Chromium through playwright-core (never a
// downloaded browser), sign-in, screenshots.
import { mkdirSync } from 'node:fs';
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
  return page;
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

/** Saves a screenshot under target/e2e-screenshots/. */
export async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The session token the app keeps for this tab. */
export async function tokenOf(page) {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('clientele.session') ?? '{}').token);
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
