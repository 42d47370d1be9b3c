// Sign-in for every role, what each role is shown, wrong passwords and expired sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, EMAILS, PASSWORD, apiLogin, csrfFor, expiredToken, graphql, launch, newPage, shot, signIn, tokenOf, watchLoading, watched } from '../helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('signing in', () => {
  for (const [role, canCreate] of [['admin', true], ['manager', true], ['recruiter', false], ['analyst', false]]) {
    test(`a ${role} signs in and ${canCreate ? 'may' : 'may not'} create clients`, async () => {
      const page = await newPage(browser);
      await signIn(page, role);
      await page.locator('.who-role', { hasText: role }).waitFor();
      await page.locator('.client-card').first().waitFor();
      const create = page.getByRole('link', { name: 'Create client' });
      assert.equal(await create.count(), canCreate ? 1 : 0);
      await shot(page, `session-${role}-list`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('a wrong password is refused with a message', async () => {
    const page = await newPage(browser);
    await watchLoading(page);
    await page.goto('/login');
    await page.getByLabel('Email').waitFor();
    // The loading line makes way for the form without moving the page.
    assert.deepEqual((await watched(page)).shifts, []);
    await page.getByLabel('Email').fill('admin@clientele.local');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    assert.match(page.url(), /\/login$/);
    await shot(page, 'session-wrong-password');
    await page.context().close();
  });

  test('signing in goes on to the page that was asked for, on our own site only', async () => {
    const page = await newPage(browser);
    await page.goto('/clients?status=ON_HOLD');
    await page.waitForURL(/\/login\?next=%2Fclients%3Fstatus%3DON_HOLD$/);
    const form = async () => {
      await page.getByLabel('Email').fill(EMAILS.manager);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    await form();
    await page.waitForURL(/\/clients\?status=ON_HOLD/);
    await page.getByRole("heading", { name: "Clients" }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login(\?.*)?$/);
    // Another site is never a destination.
    await page.goto('/login?next=%2F%2Fevil.example%2Fphish');
    await form();
    await page.waitForURL(/\/clients$/);
    assert.equal(new URL(page.url()).host, new URL(BASE_URL).host);
    await page.context().close();
  });

  test('an expired session sends the user back to sign-in with a message', async () => {
    const page = await newPage(browser);
    await page.goto('/login');
    const { user } = await apiLogin(page, 'admin');
    // Signed with the server's own key, so only its expiry is wrong.
    const token = expiredToken(user.id, user.role);
    const answer = await graphql(page, token, '{ me { id } }');
    assert.equal(answer.errors?.[0]?.message, 'your session has expired; sign in again', JSON.stringify(answer));
    // The browser holds that session, as if the tab had been left open past its end.
    await page.context().addCookies([
      { name: 'clientele_session', value: token, url: BASE_URL, httpOnly: true, secure: true, sameSite: 'Strict' },
      { name: 'clientele_csrf', value: csrfFor(token), url: BASE_URL, secure: true, sameSite: 'Strict' },
    ]);
    await page.evaluate((user) => sessionStorage.setItem('clientele.session', JSON.stringify({
      user: { id: user.id, full_name: user.fullName, email: user.email, role: user.role },
    })), user);
    await page.goto('/clients');
    await page.waitForURL(/\/login\?expired=1&next=%2Fclients$/);
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await shot(page, 'session-expired');
    await page.context().close();
  });

  test('the session is a cookie no script can read', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'clientele_session');
    assert.ok(session, JSON.stringify(cookies));
    assert.equal(session.httpOnly, true);
    assert.equal(session.secure, true);
    assert.equal(session.sameSite, 'Strict');
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      storage: JSON.stringify({ ...sessionStorage, ...localStorage }),
    }));
    assert.ok(!visible.cookie.includes(session.value), 'the session cookie is readable by scripts');
    assert.ok(!visible.storage.includes(session.value), 'the token is in web storage');
    assert.match(visible.cookie, /clientele_csrf=/);
    // A request the page makes with the cookie alone, as a forged cross-site request would,
    // runs signed out on the server; with the CSRF token it runs as the user.
    const probe = (withCsrf) => page.evaluate(async (withCsrf) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('clientele_csrf='))?.split('=')[1];
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(withCsrf ? { 'x-csrf-token': csrf } : {}) },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      return response.json();
    }, withCsrf);
    assert.equal((await probe(false)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal((await probe(true)).data?.me?.email, 'manager@clientele.local');
    // Another tab of the same browser is signed in by the cookie.
    const other = await page.context().newPage();
    await other.goto('/login');
    await other.waitForURL('**/clients');
    await other.getByRole('heading', { name: 'Clients' }).waitFor();
    // A link opened in a new tab lands on its page, not on the list, without the sign-in
    // form flashing on the way or the page jumping as it arrives.
    const deep = await page.context().newPage();
    await watchLoading(deep);
    await deep.goto('/clients/new');
    await deep.getByRole('heading', { name: 'Create client' }).waitFor();
    assert.match(deep.url(), /\/clients\/new$/);
    const seen = await watched(deep);
    assert.equal(seen.signInShown, false);
    assert.deepEqual(seen.shifts, []);
    await page.context().close();
  });

  test('signing out ends the session, on the server too', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    const token = await tokenOf(page);
    const sessionCookie = (await page.context().cookies()).find((c) => c.name === 'clientele_session');
    // Tokens count whole seconds: the server ends those issued before the sign-out's second.
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login(\?.*)?$/);
    await page.goto('/clients');
    await page.waitForURL(/\/login\?next=%2Fclients$/);
    // The browser dropped the cookies…
    const left = (await page.context().cookies()).map((c) => c.name);
    assert.ok(!left.includes('clientele_session') && !left.includes('clientele_csrf'), left.join());
    // …and a copy of the session, or of a token, kept elsewhere is refused now.
    const answer = await graphql(page, token, '{ me { email } }');
    assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(answer));
    const csrf = csrfFor(sessionCookie.value);
    await page.context().addCookies([
      { name: 'clientele_session', value: sessionCookie.value, url: BASE_URL, httpOnly: true, secure: true, sameSite: 'Strict' },
    ]);
    const copied = await page.evaluate(async (csrf) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      return response.json();
    }, csrf);
    assert.equal(copied.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(copied));
    await page.context().close();
  });
});
