// GraphiQL for analysts works with no internet: every request to another origin is
// blocked, and the page still loads, signs in, shows the docs and runs a query.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, EMAILS, PASSWORD, launch, newPage, shot } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const QUERY = `query WhoAndWhat {
  me { fullName role }
  clients(limit: 3) { items { name } pageInfo { total } }
}`;

describe('GraphiQL', () => {
  test('served from our origin alone: sign in, read the docs, run a query', async () => {
    const page = await newPage(browser);
    const origin = new URL(BASE_URL).origin;
    const elsewhere = [];
    await page.context().route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
      elsewhere.push(url);
      return route.abort('internetdisconnected');
    });
    const problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const authorizations = [];
    page.on('request', (request) => {
      const body = request.postData() ?? '';
      if (request.url().endsWith('/graphql') && body.includes('WhoAndWhat')) {
        authorizations.push(request.headers().authorization ?? null);
      }
    });

    await page.goto(`/graphiql?query=${encodeURIComponent(QUERY)}`);
    await page.getByRole('heading', { name: 'Clientele GraphiQL' }).waitFor();
    assert.equal(await page.title(), 'GraphiQL — Clientele');

    // A wrong password is the server's refusal, shown in the bar.
    await page.getByLabel('Email').fill(EMAILS.analyst);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Not signed in' }).waitFor();
    assert.match(await page.getByRole('status').textContent(), /UNAUTHENTICATED/);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Signed in as' }).waitFor();
    assert.match(await page.getByRole('status').textContent(), /ANALYST/);
    // The header editor now holds the bearer token.
    await page.getByRole('button', { name: /^Headers$/ }).click();
    await page.locator('.graphiql-editor-tool .CodeMirror-code').filter({ hasText: 'Bearer ' }).waitFor();

    // The docs explorer reads the schema (introspection through our server).
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();

    await page.getByRole('button', { name: /Execute query/ }).click();
    const result = page.locator('.result-window');
    await result.filter({ hasText: '"role": "ANALYST"' }).waitFor();
    const text = await result.textContent();
    assert.match(text, /"total": \d+/);
    assert.ok(authorizations.length >= 1, 'the query was sent');
    assert.match(authorizations.at(-1), /^Bearer \S+/);
    // GraphiQL's own markup is npm's, not ours: screenshot only.
    await shot(page, 'graphiql', { a11y: false });

    assert.deepEqual(elsewhere, [], 'nothing asked of another origin');
    assert.deepEqual(problems, [], 'no console errors (CSP included)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
