// The app sends its queries as automatic persisted queries: the hash alone once the
// server knows the text, the text only the first time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, newPage, signIn } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('persisted queries', () => {
  test('a query the server has seen travels as its hash alone', async () => {
    const page = await newPage(browser);
    const sent = [];
    page.on('response', async (response) => {
      const request = response.request();
      if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
      const body = JSON.parse(request.postData() ?? '{}');
      if (body.operationName !== 'ClientList') return;
      sent.push({ body, answer: await response.json() });
    });
    await signIn(page, 'analyst');
    await page.locator('.client-card').first().waitFor();
    await page.reload();
    await page.locator('.client-card').first().waitFor();
    const hashOnly = sent.filter((s) => s.body.query === undefined);
    assert.ok(hashOnly.length >= 1, JSON.stringify(sent.map((s) => s.body)));
    assert.match(hashOnly[0].body.extensions.persistedQuery.sha256Hash, /^[0-9a-f]{64}$/);
    const answered = hashOnly.filter((s) => s.answer.data?.clients);
    assert.ok(answered.length >= 1, JSON.stringify(hashOnly.map((s) => s.answer)));
    // The text went at most once, when the server answered PersistedQueryNotFound.
    const withText = sent.filter((s) => s.body.query !== undefined);
    assert.ok(withText.length <= 1, `${withText.length} requests carried the text`);
    await page.context().close();
  });
});
