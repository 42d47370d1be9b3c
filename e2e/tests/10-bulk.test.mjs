// Bulk actions in the client list's table view (admins): tick clients, preview what the
// server's dry run says for each, apply, read the result; the refusal of an archived
// client comes from the server's rules, which the app does not know.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient, graphql, launch, newPage, shot, signIn, tokenOf } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const newClient = (page, token, name) => createClient(page, { name }, token);

describe('bulk actions', () => {
  test('an admin previews a status change, applies it to the clients that pass, and sees each result', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin');
    const token = await tokenOf(page);
    const tag = `Bulkwise ${Date.now()}`;
    const ids = [];
    for (const n of ['A', 'B', 'C']) ids.push(await newClient(page, token, `${tag} ${n}`));
    const archived = await graphql(page, token,
      'mutation($id: ID!) { deactivateClient(id: $id, reason: "Closed down", archive: true) { status } }',
      { id: ids[2] });
    assert.equal(archived.data.deactivateClient.status, 'ARCHIVED');

    await page.goto(`/clients?q=${encodeURIComponent(tag)}&view=table`);
    const rows = page.locator('table.clients-table tbody tr');
    await page.locator('.pager-status', { hasText: '· 3 clients' }).waitFor();
    assert.equal(await rows.count(), 3);
    await page.getByRole('checkbox', { name: 'Select every client on this page' }).check();
    await page.getByRole('heading', { name: '3 clients selected' }).waitFor();
    await page.getByRole('checkbox', { name: `Select ${tag} B` }).uncheck();
    await page.getByRole('heading', { name: '2 clients selected' }).waitFor();
    await page.getByRole('checkbox', { name: `Select ${tag} B` }).check();

    await page.getByLabel('Action').selectOption({ label: 'Change status' });
    await page.getByLabel('New status').selectOption({ label: 'On hold' });
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('dialog', { name: 'Preview of the changes' });
    await preview.waitFor();
    // Focus moves into the dialog.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'bulk-dialog-title');
    await preview.getByText('2 will change, 0 already so, 1 refused.').waitFor();
    const refused = preview.getByRole('row', { name: new RegExp(`${tag} C`) });
    await refused.getByText('Refused').waitFor();
    await refused.getByText('archived: reactivate it first').waitFor();
    await preview.getByRole('row', { name: new RegExp(`${tag} A`) }).getByText('Active → On hold').waitFor();
    await shot(page, 'bulk-preview');

    // The dry run changed nothing on the server.
    const statuses = async () => {
      const answer = await graphql(page, token,
        'query($q: String!) { clients(filter: { search: $q }, sort: NAME_ASC) { items { status } } }', { q: tag });
      return answer.data.clients.items.map((c) => c.status);
    };
    assert.deepEqual(await statuses(), ['ACTIVE', 'ACTIVE', 'ARCHIVED']);

    // With a refusal, Apply waits until the admin agrees to go on without it.
    const apply = preview.getByRole('button', { name: 'Apply to 2 clients' });
    assert.ok(await apply.isDisabled());
    await preview.getByLabel('Apply the others and leave the refused clients as they are').check();
    await apply.click();
    const done = page.getByRole('dialog', { name: 'Changes applied, some clients refused' });
    await done.waitFor();
    await done.getByText('2 changed, 0 already so, 1 refused.').waitFor();
    await shot(page, 'bulk-result');
    assert.deepEqual(await statuses(), ['ON_HOLD', 'ON_HOLD', 'ARCHIVED']);

    await done.getByRole('button', { name: 'Close' }).click();
    await done.waitFor({ state: 'detached' });
    await page.locator('.badge', { hasText: 'On hold' }).first().waitFor();
    assert.equal(await page.locator('.bulk-bar').count(), 0, 'the selection is cleared');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Escape closes the preview and only admins see checkboxes', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await signIn(page, 'admin');
    await page.goto('/clients?view=table');
    await page.locator('table.clients-table tbody tr').first().waitFor();
    await page.getByRole('checkbox', { name: /^Select (?!every)/ }).first().check();
    await page.getByLabel('Action').selectOption({ label: 'Set industry' });
    await page.getByLabel('Industry (empty clears it)').fill('Shipping');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByRole('dialog', { name: 'Preview of the changes' }).waitFor();
    await shot(page, 'bulk-preview-phone');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // Focus goes back to the button that opened the preview.
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Preview changes');
    await page.context().close();

    const manager = await newPage(browser);
    await signIn(manager, 'manager');
    await manager.goto('/clients?view=table');
    await manager.locator('table.clients-table tbody tr').first().waitFor();
    assert.equal(await manager.getByRole('checkbox', { name: /^Select/ }).count(), 0);
    await manager.context().close();
  });
});
