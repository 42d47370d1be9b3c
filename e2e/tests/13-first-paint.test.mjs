// Every page's first paint comes from the server, rendered by the app's own components for
// the person asking: a phone shows the page before the app's wasm has arrived, and the app
// then takes over the same page with the answers that came with it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, EMAILS, PASSWORD, createClient, launch, newPage, shot, signIn, sql, waitsForTheApp, watchLoading, watched } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A client with a contact, made through the API; its id. */
const newClient = (page, name) => createClient(page, { name, industry: 'Logistics',
  contacts: [{ fullName: 'Ada Quill', email: 'ada@firstpaint.example', isPrimary: true }] });

/** A new tab of the signed-in browser of `page` (the session cookie, nothing else). */
async function newTab(page, options = {}) {
  const storageState = page ? await page.context().storageState() : undefined;
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 }, storageState, ...options });
  const tab = await context.newPage();
  tab.errors = [];
  tab.on('pageerror', (error) => tab.errors.push(error.message));
  return tab;
}

/** Records the GraphQL operations the page posts. */
function recordOperations(page) {
  const asked = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST') {
      asked.push(request.postDataJSON()?.operationName ?? '?');
    }
  });
  return asked;
}

describe('the first paint', () => {
  test('before the app has arrived, a signed-in browser sees the list and a client page', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const name = `First Paint Ltd ${Date.now()}`;
    const id = await newClient(page, name);
    // The app never arrives: what shows is the server's first paint alone.
    const tab = await newTab(page);
    await tab.route('**/*_bg.wasm', (route) => route.abort());

    await tab.goto(`/clients?q=${encodeURIComponent(name)}`);
    assert.equal(await tab.title(), 'Clients — Clientele');
    await tab.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await tab.getByRole('link', { name }).waitFor();
    await shot(tab, 'first-paint-list');

    await tab.goto(`/clients/${id}`);
    assert.equal(await tab.title(), `${name} — Clients — Clientele`);
    await tab.getByRole('heading', { name, level: 1 }).waitFor();
    await tab.getByText('Ada Quill').first().waitFor();
    await tab.getByRole('navigation', { name: 'Client sections' }).waitFor();
    await shot(tab, 'first-paint-client');
    // Still the server's page: the app never took it over.
    assert.ok(await tab.locator('#first-paint-answers').count() === 1);
    await tab.context().close();
    await page.context().close();
  });

  test('the app takes the page over without asking again or moving anything, then works', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const name = `Takeover Co ${Date.now()}`;
    const id = await newClient(page, name);
    const tab = await newTab(page);
    waitsForTheApp(tab);
    await watchLoading(tab);
    const asked = recordOperations(tab);
    await tab.goto(`/clients/${id}`);
    // The app has taken over once it has read the answers the page came with.
    await tab.waitForFunction(() => !document.getElementById('first-paint-answers'));
    await tab.getByRole('heading', { name, level: 1 }).waitFor();
    await tab.getByText('Ada Quill').first().waitFor();
    assert.deepEqual(asked, [], 'the record, the dashboard and the session came with the page');
    const seen = await watched(tab);
    assert.equal(seen.signInShown, false);
    assert.deepEqual(seen.shifts.filter((s) => s.value > 0), [], 'nothing moved');

    // It is the app now: a tab loads from the server, the edit form opens and saves.
    await tab.getByRole('link', { name: 'Communications' }).click();
    await tab.getByRole('heading', { name: 'Communications', level: 2 }).waitFor();
    assert.ok(asked.includes('ClientCommunications'), asked.join(', '));
    await tab.getByRole('link', { name: 'Overview' }).click();
    await tab.getByRole('button', { name: 'Edit', exact: true }).click();
    await tab.getByLabel('Name *').fill(`${name} Renamed`);
    await tab.getByRole('button', { name: 'Save', exact: true }).click();
    await tab.getByRole('heading', { name: `${name} Renamed`, level: 1 }).waitFor();
    assert.deepEqual(tab.errors, []);
    await tab.context().close();
    await page.context().close();
  });

  test('what came with the page is not served again later', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const name = `Stale Check ${Date.now()}`;
    const id = await newClient(page, name);
    const tab = await newTab(page);
    waitsForTheApp(tab);
    const asked = recordOperations(tab);
    await tab.goto(`/clients?q=${encodeURIComponent(name)}`);
    await tab.waitForFunction(() => !document.getElementById('first-paint-answers'));
    await tab.getByRole('link', { name }).waitFor();
    assert.ok(!asked.includes('ClientList'), asked.join(', '));
    // Renamed behind the app's back: the list asked for again shows the new name.
    sql(`update clients set name = '${name} Moved' where id = '${id}'`);
    await tab.getByRole('link', { name: 'Create client' }).click();
    await tab.getByRole('heading', { name: 'Create client' }).first().waitFor();
    await tab.goBack();
    await tab.getByRole('link', { name: `${name} Moved` }).waitFor();
    assert.ok(asked.includes('ClientList'), asked.join(', '));
    assert.deepEqual(tab.errors, []);
    await tab.context().close();
    await page.context().close();
  });

  test('what is typed and sent before the app arrives is carried over and sent by the app', async () => {
    // Signed out, on a phone-slow connection for the app: the sign-in form is the server's
    // until the wasm arrives a second and a half later.
    const tab = await newTab(null);
    let release;
    const arrived = new Promise((resolve) => { release = resolve; });
    await tab.route('**/*_bg.wasm', async (route) => { await arrived; await route.continue(); });
    await tab.goto('/login');
    await tab.getByLabel('Email').fill(EMAILS.manager);
    await tab.getByLabel('Password').fill(PASSWORD);
    await tab.getByLabel('Password').press('Enter');
    // Held, not sent by the browser: still on the sign-in page, the fields as typed.
    await tab.waitForTimeout(300);
    assert.equal(new URL(tab.url()).pathname, '/login');
    assert.equal(await tab.evaluate(() => window.clienteleStarted), undefined);
    release();
    await tab.waitForURL('**/clients');
    await tab.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    assert.deepEqual(tab.errors, []);
    await tab.context().close();
  });
});
