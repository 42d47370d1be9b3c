// The Feedback tab: ratings set with the keyboard on sliders, the history and the charts,
// finalizing (and the server refusing to change a finalized period), and a performance
// report rendered by the server's queue and downloaded as a real PDF.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createClient, launch, newPage, shot, signIn } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const newClient = (page, name) => createClient(page, { name });

/** Moves a slider with the arrow keys from where it is to `value`. */
async function rate(form, label, value) {
  const slider = form.getByRole('slider', { name: label, exact: true });
  const now = Number(await slider.inputValue());
  const key = value > now ? 'ArrowRight' : 'ArrowLeft';
  for (let i = 0; i < Math.abs(value - now); i += 1) await slider.press(key);
  assert.equal(await slider.inputValue(), String(value));
}

async function submit(page, period, date, ratings, written) {
  const form = page.getByRole('form', { name: 'Add feedback' });
  await form.getByLabel('Period *').fill(period);
  await form.getByLabel('Given on').fill(date);
  const names = ['Responsiveness', 'Communication', 'Requirements clarity', 'Decision speed', 'Overall satisfaction'];
  for (const [i, name] of names.entries()) await rate(form, name, ratings[i]);
  if (written) await form.getByLabel('Written feedback').fill(written);
  await form.getByRole('button', { name: 'Submit feedback' }).click();
}

describe('the feedback tab', () => {
  test('a manager rates with sliders, sees history and charts, finalizes, and the server keeps the finalized period', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const name = `Feedback Ltd ${Date.now()}`;
    const id = await newClient(page, name);
    await page.goto(`/clients/${id}`);
    await page.getByRole('link', { name: 'Feedback' }).click();
    await page.waitForURL(`**/clients/${id}/feedback`);
    await page.getByText('No feedback yet.').waitFor();

    const form = page.getByRole('form', { name: 'Add feedback' });
    await rate(form, 'Responsiveness', 5);
    await form.getByText('5 · Excellent').waitFor();
    await submit(page, '2025-Q4', '2025-12-15', [5, 4, 3, 2, 1], 'Great shortlist quality.');
    await page.getByRole('status').filter({ hasText: 'Feedback for 2025-Q4 saved.' }).waitFor();
    await submit(page, '2026-Q1', '2026-03-20', [3, 4, 5, 4, 3]);
    await page.getByRole('status').filter({ hasText: 'Feedback for 2026-Q1 saved.' }).waitFor();

    const history = page.getByRole('region', { name: 'History' });
    const q4 = history.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '2025-Q4' }) });
    await q4.getByText('Great shortlist quality.').waitFor();
    const cells = await q4.getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(1, 6), ['5', '4', '3', '2', '1']);
    // (5 + 3) / 2 and (1 + 3) / 2, computed by the server.
    const card = (label) => page.locator('.stat').filter({ has: page.locator('.stat-name', { hasText: label }) });
    assert.match(await card('Responsiveness').locator('.stat-value').textContent(), /^4\.00/);
    assert.match(await card('Overall satisfaction').locator('.stat-value').textContent(), /^2\.00/);
    await card('Overall satisfaction').getByText('2026-Q1: up 2.00').waitFor();
    const chart = page.getByRole('img', { name: 'Requirements clarity' });
    assert.equal(await chart.getAttribute('aria-describedby'), 'trend-requirementsClarity-desc');
    assert.equal(await page.locator('#trend-requirementsClarity-desc').textContent(), '2025-Q4: 3.0; 2026-Q1: 5.0');
    assert.equal(await chart.locator('.chart-point').count(), 2);
    await shot(page, 'feedback-tab');

    await q4.getByRole('button', { name: 'Finalize the feedback for 2025-Q4' }).click();
    const dialog = page.getByRole('dialog', { name: 'Finalize the feedback for 2025-Q4?' });
    await dialog.waitFor();
    await shot(page, 'feedback-finalize-dialog');
    await dialog.getByRole('button', { name: 'Finalize' }).click();
    await q4.getByText('Finalized').waitFor();
    assert.equal(await q4.getByRole('button', { name: 'Finalize the feedback for 2025-Q4' }).count(), 0);

    // The form cannot know the period was finalized: only the server refuses.
    await submit(page, '2025-Q4', '2025-12-16', [1, 1, 1, 1, 1]);
    await page.getByRole('alert').filter({ hasText: 'the feedback for 2025-Q4 is finalized and cannot change' }).waitFor();
    assert.deepEqual((await q4.getByRole('cell').allTextContents()).slice(1, 6), ['5', '4', '3', '2', '1']);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the form works by keyboard alone: Tab order, arrow keys, Home and End on the sliders, the server\'s refusal focused', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const id = await newClient(page, `Keyboard Feedback ${Date.now()}`);
    await page.goto(`/clients/${id}/feedback`);
    await page.getByText('No feedback yet.').waitFor();
    const active = () => page.evaluate(() => {
      const e = document.activeElement;
      return e?.id || e?.textContent.trim() || e?.tagName;
    });
    const tab = async (key = 'Tab') => { await page.keyboard.press(key); return active(); };

    // From the top of the page to the form, then through it in reading order (a date
    // field's parts are one stop).
    let at = await active();
    for (let i = 0; i < 60 && at !== 'feedback-period'; i += 1) at = await tab();
    assert.equal(at, 'feedback-period');
    const form = page.getByRole('form', { name: 'Add feedback' });
    const sliders = await form.getByRole('slider').evaluateAll((all) => all.map((s) => s.id));
    assert.equal(sliders.length, 5);
    const order = [at];
    while (order.length < 20 && at !== 'Submit feedback') {
      at = await tab();
      if (at !== order.at(-1)) order.push(at);
    }
    assert.deepEqual(order, ['feedback-period', 'feedback-date', ...sliders, 'feedback-written', 'Submit feedback']);

    // Back up, filling it in by keys only: a date in the future, which only the server refuses.
    while (at !== 'feedback-period') at = await tab('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2026-Q1');
    assert.equal(await tab(), 'feedback-date');
    await page.keyboard.type('12312099');
    // Each slider starts at 3.
    const steps = [['Home', 1, '1 · Poor'], ['End', 5, '5 · Excellent'], ['ArrowLeft', 2, '2 · Fair'],
      ['ArrowDown', 2, '2 · Fair'], ['ArrowUp', 4, '4 · Very good']];
    for (const [i, [key, value, spoken]] of steps.entries()) {
      let now = await tab();
      while (now === 'feedback-date') now = await tab();
      assert.equal(now, sliders[i]);
      await page.keyboard.press(key);
      const slider = page.locator(`#${sliders[i]}`);
      assert.equal(await slider.inputValue(), String(value), `${sliders[i]} after ${key}`);
      assert.equal(await slider.getAttribute('aria-valuetext'), spoken);
    }
    assert.equal(await tab(), 'feedback-written');
    await page.keyboard.type('Given on the phone.');
    assert.equal(await tab(), 'Submit feedback');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Please correct the highlighted fields.' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'feedback-date');
    const date = form.getByLabel('Given on');
    assert.equal(await date.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#feedback-date-error').textContent(), 'is in the future');
    await shot(page, 'feedback-refused-by-keyboard');

    // Mended by keys too; Enter in the field sends the form.
    await page.keyboard.type('03152026');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Feedback for 2026-Q1 saved.' }).waitFor();
    const row = page.getByRole('region', { name: 'History' }).getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '2026-Q1' }) });
    // The history loads again after the saved message.
    await row.waitFor();
    assert.deepEqual((await row.getByRole('cell').allTextContents()).slice(1, 6), ['1', '5', '2', '2', '4']);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a report is rendered by the queue and downloads as a PDF naming the client', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin');
    const name = `Report Ltd ${Date.now()}`;
    const id = await newClient(page, name);
    await page.goto(`/clients/${id}/feedback`);
    await submit(page, '2026-Q1', '2026-03-20', [4, 4, 4, 4, 5]);
    await page.getByRole('status').filter({ hasText: 'Feedback for 2026-Q1 saved.' }).waitFor();

    const panel = page.getByRole('region', { name: 'Performance report' });
    await panel.getByLabel('From').fill('2026-01-01');
    await panel.getByLabel('To').fill('2025-12-31');
    await panel.getByRole('button', { name: 'Generate report' }).click();
    // Only the server compares the two days.
    await panel.getByText('must not be before dateFrom').waitFor();
    await panel.getByLabel('To').fill('2026-06-30');
    await panel.getByRole('button', { name: 'Generate report' }).click();
    await panel.getByText('The report is ready.').waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download the report (PDF)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^Performance report Report Ltd \d+ 2026-01-01 to 2026-06-30\.pdf$/);
    const path = await download.path();
    const bytes = readFileSync(path);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const text = execFileSync('pdftotext', [path, '-']).toString().replace(/\s+/g, ' ');
    assert.ok(text.includes(name), text);
    assert.ok(text.includes('1 Jan 2026 – 30 Jun 2026'), text);
    assert.ok(text.includes('Overall satisfaction 5.00'), text);
    await panel.getByRole('button', { name: 'Download the report of 2026-01-01 to 2026-06-30' }).waitFor();
    await shot(page, 'feedback-report-ready');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a recruiter has no Feedback tab, and the server refuses its address', async () => {
    const page = await newPage(browser);
    await signIn(page, 'recruiter');
    await page.locator('.client-name').first().click();
    await page.waitForURL(/\/clients\/[0-9a-f-]+$/);
    const id = page.url().split('/').pop();
    await page.getByRole('link', { name: 'Communications' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Feedback' }).count(), 0);
    await page.goto(`/clients/${id}/feedback`);
    await page.getByRole('alert').filter({ hasText: 'Your role does not allow this.' }).first().waitFor();
    await page.context().close();
  });

  test('on a 390 px phone the tab fits the screen and the history scrolls in its own box', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await signIn(page, 'manager');
    // An active demo client: it has four quarters of feedback.
    await page.getByRole('link', { name: 'Acme Industries', exact: true }).click();
    await page.waitForURL(/\/clients\/[0-9a-f-]+$/);
    await page.getByRole('link', { name: 'Feedback' }).click();
    await page.getByRole('heading', { name: 'Averages' }).waitFor();
    assert.equal(await page.locator('.chart').count(), 5);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await shot(page, 'feedback-phone');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
