// Creating, finding duplicates, and what each role may do on a client's page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql, launch, newPage, shot, signIn, sql, tokenOf } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('clients', () => {
  test('a manager creates a client with three contacts and sees the primary badge', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    // After sign-in the focus is on the page's main content, not on the body.
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    await page.getByRole('link', { name: 'Create client' }).click();
    await page.getByLabel('Name *').waitFor();
    assert.equal(await page.title(), 'Create client — Clients — Clientele');
    await shot(page, 'create-profile-step');
    const name = `Quillfeather Robotics ${Date.now()}`;
    await page.getByLabel('Name *').fill(name);
    await page.getByLabel('Industry').fill('Robotics');
    await page.getByLabel('Website').fill('quillfeather-robotics.example');
    await page.getByLabel('Account manager').selectOption({ label: 'Max Manager' });
    await page.getByRole('button', { name: 'Next' }).click();

    const people = [
      ['Orla Byrne', 'orla@quillfeather-robotics.example', '+353 1 555 0101'],
      ['Tomás Reyes', 'tomas@quillfeather-robotics.example', '+34 91 555 0102'],
      ['Mei Chen', 'mei@quillfeather-robotics.example', '+86 10 5550 0103'],
    ];
    for (const [i, [full, email, phone]] of people.entries()) {
      if (i > 0) await page.getByRole('button', { name: 'Add contact' }).click();
      await page.getByLabel(`Full name (contact ${i + 1}) *`).fill(full);
      await page.getByLabel(`Email (contact ${i + 1})`).fill(email);
      await page.getByLabel(`Phone (contact ${i + 1})`).fill(phone);
    }
    // A fourth row added and removed again: the focus goes to the row that takes its
    // place, and the rows keep their numbers.
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByLabel('Full name (contact 4) *').fill('Removed Again');
    await page.getByRole('button', { name: 'Remove contact 4' }).click();
    await page.waitForFunction(() => document.activeElement?.closest('fieldset')?.id === 'contact-3');
    assert.equal(await page.getByLabel('Full name (contact 3) *').inputValue(), 'Mei Chen');
    assert.equal(await page.getByLabel('Full name (contact 4) *').count(), 0);
    await page.getByRole('radio', { name: 'Primary contact' }).nth(1).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Review' }).waitFor();
    // Each step change puts the focus on the new step's heading.
    await page.waitForFunction(() => document.activeElement?.id === 'step-heading');
    assert.match(await page.evaluate(() => document.activeElement.textContent), /Step 3 of 3: Review/);
    await shot(page, 'create-review');
    await page.getByRole('button', { name: 'Create client' }).click();

    await page.waitForURL(/\/clients\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name }).waitFor();
    // The Overview (record, contacts and dashboard together) follows the header.
    await page.locator('.contacts .contact').first().waitFor();
    const primary = page.locator('.contact', { has: page.locator('.badge-primary') });
    assert.equal(await primary.count(), 1);
    assert.match(await primary.locator('.contact-name').textContent(), /Tomás Reyes/);
    assert.equal(await page.locator('.contact').count(), 3);
    assert.match(await page.locator('.client-header .code').textContent(), /^CLT-\d{4}-\d{4,}$/);
    await shot(page, 'create-detail-primary-badge');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('inline validation flags a bad email and phone before submitting', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin');
    await page.goto('/clients/new');
    await page.getByLabel('Name *').fill(`Validation Check ${Date.now()}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Full name (contact 1) *').fill('Ann');
    await page.getByLabel('Email (contact 1)').fill('ann(at)example');
    await page.getByLabel('Phone (contact 1)').fill('12');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('must look like name@example.com').waitFor();
    await page.getByText('must have 7 to 15 digits').waitFor();
    // The focus goes to the first field in error.
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    assert.equal(
      await page.evaluate(() => document.activeElement.labels?.[0]?.textContent?.trim()),
      'Email (contact 1)',
    );
    assert.equal(await page.getByRole('heading', { name: 'Review' }).count(), 0);
    await shot(page, 'create-inline-validation');
    await page.context().close();
  });

  test('the app reads websites as the server does, international names too', async () => {
    // The app checks with the browser's URL parser, the server with the url crate: both
    // the WHATWG URL Standard, one rule in clientele-core over either.
    const page = await newPage(browser);
    await signIn(page, 'manager');
    await page.goto('/clients/new');
    const name = `Bücherwurm Verlag ${Date.now()}`;
    await page.getByLabel('Name *').fill(name);
    const website = page.getByLabel('Website');
    const error = page.locator('#' + (await website.getAttribute('aria-describedby')).split(' ')[0]);
    for (const [typed, message] of [
      ['acme', 'must be a web address like acme.com'],
      ['ftp://acme.com', 'must be an http or https address'],
      ['not a url at all', 'must be a web address like acme.com'],
    ]) {
      await website.fill(typed);
      await page.getByRole('button', { name: 'Next' }).click();
      await error.filter({ hasText: message }).waitFor();
      assert.equal(await website.getAttribute('aria-invalid'), 'true', typed);
    }
    await website.fill('Bücher.example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Full name (contact 1) *').fill('Jana Vogel');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Review' }).waitFor();
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.waitForURL(/\/clients\/[0-9a-f-]{36}$/);
    // What the server stored, in punycode as both parsers write it.
    await page.getByRole('link', { name: 'https://xn--bcher-kva.example' }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a near-duplicate name raises the possible-duplicate alert with a link', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin');
    await page.goto('/clients/new');
    await page.getByLabel('Name *').fill('ACME Industries, Inc.');
    await page.getByLabel('Industry').focus();
    const alert = page.getByRole('alert', { name: 'Possible duplicate' });
    await alert.waitFor();
    const link = alert.getByRole('link', { name: 'Acme Industries' });
    assert.equal(await link.count(), 1);
    await shot(page, 'create-duplicate-alert');
    await link.click();
    await page.getByRole('heading', { name: 'Acme Industries' }).waitFor();
    await page.context().close();
  });

  test('a recruiter sees no create button and the server refuses a direct deactivation', async () => {
    const page = await newPage(browser);
    await signIn(page, 'recruiter');
    assert.equal(await page.getByRole('link', { name: 'Create client' }).count(), 0);
    await page.locator('.client-card .client-name').first().click();
    await page.locator('.client-header').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Deactivate', exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Edit', exact: true }).count(), 0);
    const id = page.url().split('/').pop();
    const answer = await graphql(page, await tokenOf(page),
      'mutation($id: ID!) { deactivateClient(id: $id, reason: "Trying") { status } }', { id });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(answer));
    await page.reload();
    await page.locator('.client-header .badge').waitFor();
    assert.notEqual(await page.locator('.client-header .badge').textContent(), 'Inactive');
    await shot(page, 'recruiter-client-page');
    await page.context().close();
  });

  test('an admin deactivates a client with a reason, then reactivates it', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin');
    await page.getByRole('checkbox', { name: /^Active/ }).check();
    await page.waitForURL(/status=ACTIVE/);
    await page.locator('.client-card .client-name').first().click();
    const header = page.locator('.client-header');
    await header.locator('.badge', { hasText: /^Active$/ }).waitFor();

    // By keyboard: the dialog is modal (Tab never leaves it), Escape closes it, and focus
    // returns to the button that opened it.
    const opener = page.getByRole('button', { name: 'Deactivate', exact: true });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const focusInDialog = () => page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'dialog-title');
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      assert.ok(await focusInDialog(), `Tab ${i + 1} left the dialog`);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Back on the button that opened it (on the next frame, once the dialog has gone).
    await page.waitForFunction(() => document.activeElement?.textContent === 'Deactivate');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await dialog.getByText('is required').waitFor();
    await dialog.getByLabel('Reason *').fill('Contract ended');
    await dialog.getByLabel('Details').fill('Moved recruiting in-house');
    await shot(page, 'admin-deactivate-dialog');
    await dialog.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await header.locator('.badge', { hasText: /^Inactive$/ }).waitFor();
    await header.getByText('Deactivated: Contract ended — Moved recruiting in-house').waitFor();
    await shot(page, 'admin-deactivated');

    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click();
    await header.locator('.badge', { hasText: /^Active$/ }).waitFor();
    assert.equal(await header.getByText('Deactivated:').count(), 0);
    await shot(page, 'admin-reactivated');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a manager edits a client and an error only the server can find lands on the field', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    await page.locator('.client-card .client-name').first().click();
    // Edit moves the focus to the form's heading, Cancel back to Edit.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'edit-heading');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'edit-client');
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Edit client' });
    await page.waitForFunction(() => document.activeElement?.id === 'edit-heading');
    await shot(page, 'manager-edit-form');
    await form.getByLabel('City').fill('Reykjavík');
    await form.getByLabel('Account manager').selectOption({ label: 'Grace Hopper' });
    // Grace leaves the agency while the form is open: the picker still offers her, and
    // only the server knows she may no longer manage accounts.
    sql("update users set is_active = false where email = 'grace.hopper@clientele.local'");
    try {
      await form.getByRole('button', { name: 'Save' }).click();
      const field = form.locator('.field', { has: page.getByLabel('Account manager') });
      await field.getByText('must be an active manager or admin').waitFor();
      // The server's refusal takes the focus to the field it names.
      await page.waitForFunction(() => document.activeElement?.id === 'account-manager');
      await shot(page, 'manager-edit-server-error');
    } finally {
      sql("update users set is_active = true where email = 'grace.hopper@clientele.local'");
    }
    await form.getByLabel('Account manager').selectOption({ label: 'Max Manager' });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('.overview').getByText('Reykjavík').waitFor();
    // Saved and reloaded: the focus is back on Edit, not on the page.
    await page.waitForFunction(() => document.activeElement?.id === 'edit-client');
    await shot(page, 'manager-edited');
    await page.context().close();
  });
});
