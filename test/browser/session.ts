// Signing a browser context in without the mail round trip, for suites that test what a signed-in
// person sees rather than how they signed in (the sign-in flow itself is covered in community.test.ts).
import type { BrowserContext } from 'playwright-core';
import { createSession, ensureUser, type Role } from '../../src/accounts/index.ts';
import type { BrowserApp } from './app.ts';

export async function signInContext(context: BrowserContext, app: BrowserApp, email: string, opts: { role?: Role; displayName?: string } = {}): Promise<number> {
  const db = app.store.db;
  const user = await ensureUser(db, email, new Date());
  if (opts.role || opts.displayName) {
    await db.updateTable('user_account').set({ ...(opts.role ? { role: opts.role } : {}), ...(opts.displayName ? { display_name: opts.displayName } : {}) }).where('id', '=', user.id).execute();
  }
  const token = await createSession(db, user.id, 1, new Date());
  await context.addCookies([{ name: 'pb_session', value: token, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  return user.id;
}
