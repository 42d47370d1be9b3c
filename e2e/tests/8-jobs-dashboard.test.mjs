// Jobs and the dashboard: five jobs linked through the search dialog change the dashboard's
// figures, funnel and pie; the server refuses a link to a job removed meanwhile and links
// none; the Analytics tab draws the demo's series; Export PDF downloads the dashboard.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { graphql, launch, newPage, shot, signIn, sql, tokenOf } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function call(page, query, variables) {
  const answer = await graphql(page, await tokenOf(page), query, variables);
  assert.ok(answer.data, JSON.stringify(answer));
  return answer.data;
}

async function newJob(page, title, status) {
  const data = await call(page, 'mutation($i: CreateJobInput!) { createJob(input: $i) { id } }',
    { i: { title, status } });
  return data.createJob.id;
}

/** Applies a new candidate to `job` and moves them along `path`. */
async function candidate(page, name, job, path) {
  const person = (await call(page, 'mutation($i: CreateCandidateInput!) { createCandidate(input: $i) { id } }',
    { i: { fullName: name } })).createCandidate.id;
  const application = (await call(page, 'mutation($c: ID!, $j: ID!) { applyCandidate(candidateId: $c, jobId: $j) { id } }',
    { c: person, j: job })).applyCandidate.id;
  for (const stage of path) {
    await call(page, 'mutation($a: ID!, $s: ApplicationStage!) { moveApplication(id: $a, stage: $s) { id } }',
      { a: application, s: stage });
  }
}

const card = (page, label) => page.locator('.stat').filter({ has: page.locator('.stat-name', { hasText: label }) }).locator('.stat-value');

describe('jobs and the dashboard', () => {
  test('linking five jobs changes the dashboard figures, funnel and pie', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const stamp = Date.now();
    const client = (await call(page, 'mutation($i: CreateClientInput!) { createClient(input: $i) { id } }',
      { i: { name: `Linking Ltd ${stamp}`, confirmNotDuplicate: true } })).createClient.id;
    const prefix = `E2E ${stamp}`;
    const jobs = [];
    for (const [n, status] of ['OPEN', 'OPEN', 'OPEN', 'ON_HOLD', 'DRAFT'].entries()) {
      jobs.push(await newJob(page, `${prefix} role ${n + 1}`, status));
    }
    await candidate(page, 'Ann Applied', jobs[0], []);
    await candidate(page, 'Sam Screened', jobs[0], ['SCREENED']);
    await candidate(page, 'Hal Hired', jobs[0], ['SCREENED', 'INTERVIEWED', 'HIRED']);
    await candidate(page, 'Rae Rejected', jobs[1], ['REJECTED']);

    await page.goto(`/clients/${client}`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('Nothing happened in the last 30 days.').waitFor();
    assert.equal(await card(page, 'Active jobs').textContent(), '0');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.waitForURL(`**/clients/${client}/jobs`);
    await page.getByText('No jobs are linked to this client yet.').waitFor();
    await page.getByRole('button', { name: 'Link jobs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Link jobs' });
    await dialog.getByLabel('Search jobs by title').fill(prefix);
    await dialog.getByText('5 jobs found').waitFor();
    for (let n = 1; n <= 5; n += 1) {
      await dialog.getByRole('checkbox', { name: `${prefix} role ${n}` }).check();
    }
    await dialog.getByRole('button', { name: 'Link 5 jobs' }).click();
    await page.getByRole('status').filter({ hasText: 'Linked 5 jobs.' }).waitFor();
    const table = page.getByRole('region', { name: "The client's jobs" });
    const first = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `${prefix} role 1` }) });
    assert.deepEqual((await first.getByRole('cell').allTextContents()).slice(1, 4),
      ['3', 'Applied 1 · Screened 1 · Hired 1', '1']);
    await shot(page, 'jobs-tab');

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('.stat-change', { hasText: 'of 5 linked' }).waitFor();
    assert.equal(await card(page, 'Active jobs').textContent(), '4');
    assert.equal(await card(page, 'Candidates').textContent(), '4');
    assert.equal(await card(page, 'Hires').textContent(), '1');
    const funnel = page.getByRole('img', { name: 'Pipeline funnel' });
    assert.equal(await page.locator(`#${await funnel.getAttribute('aria-describedby')}`).textContent(),
      'Applied: 1; Screened: 1; Shortlisted: 0; Interviewed: 0; Offered: 0; Hired: 1');
    await page.getByText('Rejected: 1').waitFor();
    const pie = page.getByRole('img', { name: 'Jobs by status' });
    assert.equal(await page.locator(`#${await pie.getAttribute('aria-describedby')}`).textContent(),
      'Draft: 1 (20%); Open: 3 (60%); On hold: 1 (20%); Filled: 0 (0%); Closed: 0 (0%)');
    assert.equal(await pie.locator('path').count(), 3, 'a slice per status with jobs');
    const activity = page.locator('.activity-list li');
    assert.equal(await activity.filter({ hasText: 'Job linked' }).count(), 5);
    await activity.filter({ hasText: 'Hal Hired moved to Hired' }).first().waitFor();
    await shot(page, 'dashboard');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the server links none when a chosen job was removed meanwhile, and unlinking asks first', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin');
    const stamp = Date.now();
    const client = (await call(page, 'mutation($i: CreateClientInput!) { createClient(input: $i) { id } }',
      { i: { name: `Gone Jobs Ltd ${stamp}`, confirmNotDuplicate: true } })).createClient.id;
    const prefix = `Vanishing ${stamp}`;
    await newJob(page, `${prefix} keeper`, 'OPEN');
    const doomed = await newJob(page, `${prefix} doomed`, 'OPEN');

    await page.goto(`/clients/${client}/jobs`);
    await page.getByRole('button', { name: 'Link jobs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Link jobs' });
    await dialog.getByLabel('Search jobs by title').fill(prefix);
    await dialog.getByText('2 jobs found').waitFor();
    await dialog.getByRole('checkbox', { name: `${prefix} keeper` }).check();
    await dialog.getByRole('checkbox', { name: `${prefix} doomed` }).check();
    // Another user removes one of them; only the server can know.
    sql(`delete from jobs where id = '${doomed}'`);
    await dialog.getByRole('button', { name: 'Link 2 jobs' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Nothing was linked: a chosen job no longer exists.' }).waitFor();
    await dialog.getByText('1 job found').waitFor();
    await shot(page, 'jobs-link-dialog-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('No jobs are linked to this client yet.').waitFor();

    await page.getByRole('button', { name: 'Link jobs' }).click();
    await dialog.getByLabel('Search jobs by title').fill(prefix);
    await dialog.getByRole('checkbox', { name: `${prefix} keeper` }).check();
    await dialog.getByRole('button', { name: 'Link 1 job' }).click();
    await page.getByRole('status').filter({ hasText: 'Linked 1 job.' }).waitFor();
    await page.getByRole('button', { name: `Unlink ${prefix} keeper` }).click();
    const confirm = page.getByRole('dialog', { name: `Unlink ${prefix} keeper?` });
    await confirm.waitFor();
    await shot(page, 'jobs-unlink-dialog');
    await confirm.getByRole('button', { name: 'Unlink' }).click();
    await page.getByRole('status').filter({ hasText: `Unlinked ${prefix} keeper.` }).waitFor();
    await page.getByText('No jobs are linked to this client yet.').waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an analyst reads the analytics series and exports the dashboard as a PDF', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    await page.getByRole('link', { name: 'Acme Industries', exact: true }).click();
    await page.waitForURL(/\/clients\/[0-9a-f-]+$/);
    assert.equal(await page.getByRole('button', { name: 'Link jobs' }).count(), 0);
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    const chart = page.getByRole('img', { name: 'Candidates', exact: true });
    await chart.waitFor();
    const described = await page.locator(`#${await chart.getAttribute('aria-describedby')}`).textContent();
    assert.ok(described.split('; ').length >= 12, `about 13 weeks: ${described}`);
    await page.getByLabel('Points').selectOption('MONTH');
    await page.waitForFunction((id) => document.getElementById(id)?.textContent.split('; ').length <= 4,
      await chart.getAttribute('aria-describedby'));
    await shot(page, 'analytics');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PDF' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^Dashboard Acme Industries \d{4}-\d{2}-\d{2}\.pdf$/);
    const path = await download.path();
    assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
    const text = execFileSync('pdftotext', [path, '-']).toString().replace(/\s+/g, ' ');
    for (const shown of ['Acme Industries', 'Active jobs', 'Pipeline funnel', 'Job statuses']) {
      assert.ok(text.includes(shown), `${shown} in ${text}`);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('on a 390 px phone the dashboard and the jobs fit the screen', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await signIn(page, 'manager');
    await page.getByRole('link', { name: 'Acme Industries', exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('img', { name: 'Pipeline funnel' }).waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(await overflow() <= 0, 'the dashboard fits');
    await shot(page, 'dashboard-phone');
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('region', { name: "The client's jobs" }).waitFor();
    assert.ok(await overflow() <= 0, 'the jobs table scrolls in its own box');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
