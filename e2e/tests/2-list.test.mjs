// The client list: search, filters, pagination, the table view and a phone screen. (How
// fast the first page appears is measured by `cargo xtask bench`, not here.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, newPage, shot, signIn } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const cardNames = (page) => page.locator('.client-card .client-name').allTextContents();

describe('the client list', () => {
  test('search matches a partial name, and the URL keeps it across a reload', async () => {
    const page = await newPage(browser);
    await signIn(page, 'recruiter');
    await page.getByLabel('Search').fill('lobe');
    await page.waitForURL(/q=lobe/);
    await page.locator('.pager-status', { hasText: '· 3 clients' }).waitFor();
    const names = await cardNames(page);
    assert.equal(names.length, 3);
    assert.ok(names.every((n) => n.startsWith('Globex')), names.join(', '));
    await page.reload();
    await page.locator('.pager-status', { hasText: '· 3 clients' }).waitFor();
    assert.equal(await page.getByLabel('Search').inputValue(), 'lobe');
    await shot(page, 'list-search');
    await page.context().close();
  });

  test('pagination walks through more than 50 clients', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    const status = page.locator('.pager-status');
    await status.filter({ hasText: 'Page 1 of' }).waitFor();
    const total = Number((await status.textContent()).match(/· (\d+) clients/)[1]);
    assert.ok(total >= 50, `only ${total} clients`);
    const pages = Math.ceil(total / 20);
    const first = await cardNames(page);
    const live = page.locator('[role="status"][aria-live="polite"]', { hasText: 'clients match' });
    await live.filter({ hasText: `${total} clients match; page 1 of ${pages}.` }).waitFor();
    await page.getByRole('button', { name: 'Next →' }).click();
    await status.filter({ hasText: `Page 2 of ${pages}` }).waitFor();
    // Announced, and the focus is at the top of the new page, not left on Next.
    await live.filter({ hasText: `page 2 of ${pages}.` }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'results-heading');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('.client-card')?.querySelector('.client-name')?.textContent?.trim()),
      (await cardNames(page))[0],
    );
    assert.match(page.url(), /page=2/);
    const second = await cardNames(page);
    assert.equal(second.length, 20);
    assert.ok(!second.some((n) => first.includes(n)), 'page 2 repeats page 1');
    await page.reload();
    await status.filter({ hasText: `Page 2 of ${pages}` }).waitFor();
    await page.goto(`/clients?page=${pages}`);
    await status.filter({ hasText: `Page ${pages} of ${pages}` }).waitFor();
    assert.equal((await cardNames(page)).length, total - (pages - 1) * 20);
    assert.ok(await page.getByRole('button', { name: 'Next →' }).isDisabled());
    await shot(page, 'list-last-page');
    await page.context().close();
  });

  test('status and industry filters narrow the list and show counts', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    await page.getByRole('checkbox', { name: /Archived/ }).check();
    await page.waitForURL(/status=ARCHIVED/);
    await page.locator('.pager-status', { hasText: 'Page 1 of 1' }).waitFor();
    const badges = await page.locator('.client-card .badge').allTextContents();
    assert.ok(badges.length > 0);
    assert.ok(badges.every((b) => b === 'Archived'), badges.join(', '));
    await page.getByLabel('Industry').selectOption('Technology');
    await page.waitForURL(/industry=Technology/);
    await shot(page, 'list-filtered');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => url.search === '');
    await page.context().close();
  });

  test('the table view shows the same clients as rows', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    await page.getByRole('button', { name: 'Table' }).click();
    await page.waitForURL(/view=table/);
    const rows = page.locator('table.clients-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 20);
    await shot(page, 'list-table');
    await page.context().close();
  });

  test('the list fits a 390 px wide phone screen', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await signIn(page, 'recruiter');
    await page.locator('.client-card').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await shot(page, 'list-phone');
    await page.context().close();
  });
});
