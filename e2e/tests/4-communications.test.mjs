// The Communications tab: logging through the dialog, the timeline by day, and filters that
// live in the address.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql, launch, newPage, shot, signIn, sql, tokenOf } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const CREATE = `mutation($input: CreateClientInput!) { createClient(input: $input) { id contacts { id fullName } } }`;
const LOG = `mutation($c: ID!, $i: LogCommunicationInput!) { logCommunication(clientId: $c, input: $i) { id } }`;

/** A fresh client with two contacts, through the API. */
async function freshClient(page, token, name) {
  const answer = await graphql(page, token, CREATE, { input: {
    name, confirmNotDuplicate: true,
    contacts: [
      { fullName: 'Grace Liang', email: 'grace@timeline.example', isPrimary: true },
      { fullName: 'Omar Haddad', email: 'omar@timeline.example' },
    ],
  } });
  assert.ok(answer.data, JSON.stringify(answer));
  return answer.data.createClient;
}

const entries = (page) => page.locator('.timeline .entry');
const subjects = (page) => page.locator('.timeline .entry-subject').allTextContents();

describe('communications', () => {
  test('a manager logs communications and filters the timeline by type and by date', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const token = await tokenOf(page);
    const client = await freshClient(page, token, `Timeline Works ${Date.now()}`);
    // Eight through the API, over eight days of last month.
    const kinds = ['CALL', 'EMAIL', 'MEETING', 'VIDEO_CALL', 'NOTE', 'CALL', 'EMAIL', 'MEETING'];
    for (const [i, type] of kinds.entries()) {
      const date = new Date(Date.UTC(2026, 9, 10 + i, 14, 30)).toISOString();
      const answer = await graphql(page, token, LOG, { c: client.id, i: { type, subject: `Earlier ${type} ${i}`, communicationDate: date } });
      assert.ok(answer.data, JSON.stringify(answer));
    }

    // Jobs have no API yet (they come with the jobs work): one is written straight in.
    sql(`insert into jobs (title, status, client_id, opened_at) values ('Site Reliability Lead', 'open', '${client.id}', now())`);

    await page.goto(`/clients/${client.id}/communications`);
    await entries(page).first().waitFor();
    assert.equal(await entries(page).count(), 8);

    // Two through the dialog.
    await page.getByRole('button', { name: 'Log communication' }).click();
    let dialog = page.getByRole('dialog', { name: 'Log communication' });
    await dialog.getByLabel('Type').selectOption({ label: 'Meeting' });
    await dialog.getByLabel('Subject *').fill('Quarterly review in person');
    await dialog.getByLabel('Notes').fill('Agreed on three senior roles.');
    await dialog.getByRole('checkbox', { name: 'Grace Liang' }).check();
    await dialog.getByRole('button', { name: 'Add someone else' }).click();
    await dialog.getByLabel('Someone else: name').fill('Ines Duarte');
    await dialog.getByLabel('Their email').fill('ines@advisor.example');
    await dialog.getByRole('checkbox', { name: 'Important' }).check();
    await dialog.getByLabel('Job (optional)').selectOption({ label: 'Site Reliability Lead (Open)' });
    await shot(page, 'communications-log-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.timeline .entry-subject', { hasText: 'Quarterly review in person' }).waitFor();

    await page.getByRole('button', { name: 'Log communication' }).click();
    dialog = page.getByRole('dialog', { name: 'Log communication' });
    await dialog.getByLabel('Subject *').fill('Call about the offer');
    await dialog.getByRole('checkbox', { name: 'Follow-up required' }).check();
    // A date in the past: only the server's rule catches it, and it lands on the field.
    await dialog.getByLabel('Follow up by').fill('2020-01-01');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('is in the past').waitFor();
    // The focus goes to the refused field, which says what is wrong with it.
    await page.waitForFunction(() => document.activeElement?.id === 'log-follow-up-date');
    assert.equal(await dialog.getByLabel('Follow up by').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#log-follow-up-date-error').textContent(), 'is in the past');
    await shot(page, 'communications-log-refused');
    const nextWeek = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    await dialog.getByLabel('Follow up by').fill(nextWeek);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.timeline .entry-subject', { hasText: 'Call about the offer' }).waitFor();
    assert.equal(await entries(page).count(), 10);

    const meeting = page.locator('.entry', { hasText: 'Quarterly review in person' });
    assert.match(await meeting.textContent(), /With Grace Liang, Ines Duarte/);
    assert.equal(await meeting.locator('.badge-important').count(), 1);
    assert.match(await meeting.textContent(), /About the job Site Reliability Lead/);
    assert.match(await page.locator('.entry', { hasText: 'Call about the offer' }).textContent(), new RegExp(`Follow up by ${nextWeek}`));
    await shot(page, 'communications-timeline');

    // Filter by type: the address keeps it across a reload.
    await page.getByRole('checkbox', { name: 'Meeting', exact: true }).check();
    await page.waitForURL(/types=MEETING/);
    await page.locator('.pager-status', { hasText: '· 3 communications' }).waitFor();
    assert.ok((await subjects(page)).every((s) => /MEETING|Quarterly/.test(s)), (await subjects(page)).join(', '));
    await page.reload();
    await page.locator('.pager-status', { hasText: '· 3 communications' }).waitFor();
    await page.getByRole('checkbox', { name: 'Meeting', exact: true }).uncheck();

    // Filter by date: both ends of the range count.
    await page.getByLabel('From', { exact: true }).fill('2026-10-11');
    await page.getByLabel('From', { exact: true }).dispatchEvent('change');
    await page.getByLabel('To', { exact: true }).fill('2026-10-13');
    await page.getByLabel('To', { exact: true }).dispatchEvent('change');
    await page.waitForURL(/from=2026-10-11.*to=2026-10-13/);
    await page.locator('.pager-status', { hasText: '· 3 communications' }).waitFor();
    assert.deepEqual(await subjects(page), ['Earlier VIDEO_CALL 3', 'Earlier MEETING 2', 'Earlier EMAIL 1']);
    await shot(page, 'communications-filtered');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an analyst reads the timeline but may not log', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    await page.locator('.client-card .client-name').first().click();
    await page.getByRole('link', { name: 'Communications' }).click();
    await page.waitForURL(/\/communications$/);
    await page.locator('.timeline-filters').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Log communication' }).count(), 0);
    await page.context().close();
  });
});
