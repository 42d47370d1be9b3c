// Attachments from the timeline: upload with progress, download back through the signed
// link, refusals in words (too large, infected), and a timeline that updates live.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { graphql, launch, newPage, shot, signIn, tokenOf } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
  + '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

/** A fresh client with one communication, through the API; its id. */
async function clientWithACommunication(page, subject) {
  const token = await tokenOf(page);
  const created = await graphql(page, token,
    'mutation($i: CreateClientInput!) { createClient(input: $i) { id } }',
    { i: { name: `Files Ltd ${Date.now()}`, confirmNotDuplicate: true } });
  const id = created.data.createClient.id;
  const logged = await graphql(page, token,
    'mutation($c: ID!, $i: LogCommunicationInput!) { logCommunication(clientId: $c, input: $i) { id } }',
    { c: id, i: { type: 'EMAIL', subject } });
  assert.ok(logged.data, JSON.stringify(logged));
  return id;
}

describe('attachments', () => {
  test('a PDF is attached with progress and downloads back byte-identical', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const client = await clientWithACommunication(page, 'Signed contract');
    await page.goto(`/clients/${client}/communications`);
    await page.getByLabel('Attach a file to “Signed contract”').setInputFiles({
      name: 'Signed contract.pdf', mimeType: 'application/pdf', buffer: PDF,
    });
    const chip = page.getByRole('button', { name: /Download Signed contract\.pdf/ });
    await chip.waitFor();
    await shot(page, 'attachment-chip');
    const [download] = await Promise.all([page.waitForEvent('download'), chip.click()]);
    assert.equal(download.suggestedFilename(), 'Signed contract.pdf');
    const saved = await readFile(await download.path());
    assert.ok(saved.equals(PDF), 'the downloaded file is the uploaded one');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a file over 10 MB and the EICAR test file are refused in words', async () => {
    const page = await newPage(browser);
    await signIn(page, 'recruiter');
    const token = await tokenOf(page);
    // A recruiter cannot create clients: log on a demo client instead.
    const list = await graphql(page, token, '{ clients(filter: {search: "Hooli Labs"}) { items { id } } }');
    const client = list.data.clients.items[0].id;
    const subject = `Scanned files ${Date.now()}`;
    await graphql(page, token,
      'mutation($c: ID!, $i: LogCommunicationInput!) { logCommunication(clientId: $c, input: $i) { id } }',
      { c: client, i: { type: 'NOTE', subject } });
    await page.goto(`/clients/${client}/communications`);
    const input = page.getByLabel(`Attach a file to “${subject}”`);
    const entry = page.locator('.entry', { hasText: subject });

    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024, 0x20)]);
    await input.setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: big });
    await entry.getByRole('alert').filter({ hasText: 'Not uploaded: the file is larger than 10 MB.' }).waitFor();

    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: EICAR });
    await entry.getByRole('alert')
      .filter({ hasText: 'Not uploaded: the file is infected (Clientele.Test.EICAR.UNOFFICIAL).' })
      .waitFor();
    await shot(page, 'attachment-refused');
    assert.equal(await entry.locator('.chip').count(), 0, 'nothing was attached');
    await page.context().close();
  });

  test('a second session sees a new communication appear without a reload', async () => {
    const watcher = await newPage(browser);
    await signIn(watcher, 'analyst');
    const writer = await newPage(browser);
    await signIn(writer, 'manager');
    const client = await clientWithACommunication(writer, 'First contact');
    await watcher.goto(`/clients/${client}/communications`);
    await watcher.locator('.entry-subject', { hasText: 'First contact' }).waitFor();
    // The watcher's page must not navigate: mark it and check the mark survives.
    await watcher.evaluate(() => { window.stillTheSamePage = true; });

    await writer.goto(`/clients/${client}/communications`);
    await writer.getByRole('button', { name: 'Log communication' }).click();
    const dialog = writer.getByRole('dialog', { name: 'Log communication' });
    await dialog.getByLabel('Subject *').fill('Live from the other desk');
    await dialog.getByRole('button', { name: 'Save' }).click();

    await watcher.locator('.entry-subject', { hasText: 'Live from the other desk' }).waitFor();
    await watcher.getByRole('status').filter({ hasText: 'New: Live from the other desk (logged by Max Manager)' }).waitFor();
    assert.equal(await watcher.evaluate(() => window.stillTheSamePage), true);
    await shot(watcher, 'communications-live');
    await watcher.context().close();
    await writer.context().close();
  });
});
