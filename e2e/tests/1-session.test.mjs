// Sign-in for every role, what each role is shown, wrong passwords and expired sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiLogin, expiredToken, graphql, launch, newPage, shot, signIn, tokenOf } from '../helpers.mjs';

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
    await page.goto('/login');
    await page.getByLabel('Email').fill('admin@clientele.local');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    assert.match(page.url(), /\/login$/);
    await shot(page, 'session-wrong-password');
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
    await page.evaluate(({ token, user }) => sessionStorage.setItem('clientele.session', JSON.stringify({
      token,
      user: { id: user.id, full_name: user.fullName, email: user.email, role: user.role },
    })), { token, user });
    await page.goto('/clients');
    await page.waitForURL('**/login?expired=1');
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await shot(page, 'session-expired');
    await page.context().close();
  });

  test('signing out ends the session, on the server too', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    const token = await tokenOf(page);
    // Tokens count whole seconds: the server ends those issued before the sign-out's second.
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.goto('/clients');
    await page.waitForURL('**/login');
    // A copy of the token kept elsewhere is refused now.
    const answer = await graphql(page, token, '{ me { email } }');
    assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(answer));
    await page.context().close();
  });
});
