// The client page beyond its record: contacts edited in place, a logo with a preview, and
// the create form's defaults.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient, delayOperations, graphql, launch, newPage, shot, signIn, tokenOf, watchLoading, watched } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The smallest valid PNG: one transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const clientWithContacts = (page, name) => createClient(page, { name, contacts: [
  { fullName: 'Nora Kim', email: 'nora@contacts.example', isPrimary: true },
  { fullName: 'Leo Park', email: 'leo@contacts.example' },
] });

const contactNames = (page) => page.locator('.contacts .contact-name').allTextContents();

describe('the client page', () => {
  test('a manager adds, edits, promotes and deactivates contacts', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const id = await clientWithContacts(page, `Contacts Inc ${Date.now()}`);
    await page.goto(`/clients/${id}`);
    await page.locator('.contacts .contact').first().waitFor();

    // The focus follows the keyboard user: into the form, to the refused field, back to
    // the button that opened it.
    const focused = () => page.evaluate(() => document.activeElement?.labels?.[0]?.textContent?.trim() ?? document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim());
    await page.getByRole('button', { name: 'Add contact' }).click();
    const added = page.getByRole('form', { name: 'New contact' });
    await added.waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('form')?.id === 'contact-form-new');
    assert.equal(await focused(), 'Full name *');
    await added.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'add-contact');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.closest('form')?.id === 'contact-form-new');
    await added.getByLabel('Full name *').fill('Iris Vega');
    await added.getByLabel('Email').fill('iris(at)contacts');
    await added.getByRole('button', { name: 'Save contact' }).click();
    await added.getByText('must look like name@example.com').waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('form')?.id === 'contact-form-new' && document.activeElement?.type === 'email');
    await added.getByLabel('Email').fill('iris@contacts.example');
    await added.getByRole('button', { name: 'Save contact' }).click();
    await page.locator('.contacts .contact-name', { hasText: 'Iris Vega' }).waitFor();

    await page.getByRole('button', { name: 'Edit Leo Park' }).click();
    const edit = page.getByRole('form', { name: 'Edit Leo Park' });
    // The focus moves into the form (on the next frame) before anyone types.
    await page.waitForFunction(() => document.activeElement?.closest('form')?.getAttribute('aria-label') === 'Edit Leo Park');
    await edit.getByLabel('Title').fill('Head of People');
    await edit.getByRole('button', { name: 'Save contact' }).click();
    await page.locator('.contacts .contact-title', { hasText: 'Head of People' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Edit Leo Park');

    await page.getByRole('button', { name: 'Make primary: Leo Park' }).click();
    await page.locator('.contacts .contact', { has: page.locator('.badge-primary') }).filter({ hasText: 'Leo Park' }).waitFor();
    // The server refuses to switch off the primary contact while others remain.
    await page.getByRole('button', { name: 'Deactivate Leo Park' }).click();
    await page.getByRole('alert').filter({ hasText: 'make another contact primary' }).waitFor();
    await page.getByRole('button', { name: 'Deactivate Nora Kim' }).click();
    await page.waitForFunction(() => ![...document.querySelectorAll('.contacts .contact-name')].some((n) => n.textContent.includes('Nora Kim')));
    await page.waitForFunction(() => document.activeElement?.id === 'contacts-heading');
    const names = await contactNames(page);
    assert.ok(names[0].startsWith('Leo Park'), names.join(', '));
    assert.equal(names.length, 2);
    await shot(page, 'contacts-edited');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('nothing on a client\'s page moves as its parts arrive, whichever comes last', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await signIn(page, 'manager');
    const id = await clientWithContacts(page, `Steady Page ${Date.now()}`);
    await watchLoading(page);
    // The dashboard answers last, then the record: each order once.
    for (const delays of [{ ClientDashboard: 400, ClientDetail: 100 }, { ClientDetail: 400, ClientDashboard: 100 }]) {
      await page.unrouteAll();
      await delayOperations(page, delays);
      await page.goto(`/clients/${id}`);
      await page.locator('.contacts .contact').first().waitFor();
      await page.locator('.stat-cards').waitFor();
      await page.waitForTimeout(100);
      assert.deepEqual((await watched(page)).shifts, [], JSON.stringify(delays));
    }
    // Every tab, its own answers after the record's and before.
    const feedback = await graphql(page, await tokenOf(page),
      'mutation($c: ID!, $i: SubmitFeedbackInput!) { submitFeedback(clientId: $c, input: $i) { id } }',
      { c: id, i: { period: '2026-Q1', responsiveness: 4, communication: 4, requirementsClarity: 3, decisionSpeed: 5, overallSatisfaction: 4 } });
    assert.ok(feedback.data, JSON.stringify(feedback));
    for (const tab of ['jobs', 'communications', 'feedback', 'analytics']) {
      for (const delays of [{ ClientDetail: 50, '*': 400 }, { ClientDetail: 400, '*': 50 }]) {
        await page.unrouteAll();
        await delayOperations(page, delays);
        await page.goto(`/clients/${id}/${tab}`);
        await page.locator('.tab-panel .loading').first().waitFor({ state: 'detached' });
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(100);
        assert.deepEqual((await watched(page)).shifts, [], `${tab} ${JSON.stringify(delays)}`);
      }
    }
    await page.unrouteAll();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a logo is previewed, saved and shown; one over 2 MB is refused in words', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const id = await clientWithContacts(page, `Logo Inc ${Date.now()}`);
    await page.goto(`/clients/${id}`);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit client' });
    await form.getByLabel(/^Logo/).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await form.getByRole('img', { name: 'Preview of the new logo' }).waitFor();
    await form.getByRole('button', { name: 'Save' }).click();
    const logo = page.locator('.client-header').getByRole('img', { name: /^Logo of Logo Inc/ });
    await logo.waitFor();
    assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth === 1), 'the logo loads through its signed link');

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024, 0)]);
    await form.getByLabel(/^Logo/).setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Logo not uploaded: the file is larger than 2 MB.').waitFor();
    await shot(page, 'logo-refused');
    await page.context().close();
  });

  test('a manager creating a client looks after it unless they choose someone else', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    await page.getByRole('link', { name: 'Create client' }).click();
    assert.equal(await page.getByLabel('Account manager').locator('option:checked').textContent(), 'Max Manager');
    await page.getByLabel('Name *').fill(`Defaults Ltd ${Date.now()}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Full name (contact 1) *').fill('Sam Lee');
    await page.getByRole('button', { name: 'Next' }).click();
    const review = page.locator('.review');
    await review.waitFor();
    const facts = await review.locator('dd').allTextContents();
    assert.deepEqual(facts.slice(1, 3), ['—', '—'], 'blank industry and website read as —');
    assert.equal(facts.at(-1), 'Max Manager');
    await page.context().close();
  });
});
