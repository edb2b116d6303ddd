// The sign-in email, and queuing it with its token. The mail is built the same way whether or not
// the address has an account, apart from one welcoming sentence that only the mailbox owner sees.
import type { Db } from '../store/db.ts';
import { queueMail } from '../mail/index.ts';
import { createLoginToken, LOGIN_TOKEN_TTL_MS, type SignInIntent } from './login.ts';
import { findUserByEmail } from './users.ts';

export function signInMail(opts: { link: string; siteUrl: string; known: boolean }): { subject: string; text: string } {
  const minutes = LOGIN_TOKEN_TTL_MS / 60_000;
  return {
    subject: 'Your paperboy sign-in link',
    text: [
      'Hello,',
      '',
      opts.known
        ? `Someone (hopefully you) asked to sign in to paperboy at ${opts.siteUrl}.`
        : `Someone (hopefully you) asked to sign in to paperboy at ${opts.siteUrl}. This address has no account yet; following the link creates one.`,
      '',
      'Open this link to sign in:',
      '',
      opts.link,
      '',
      `It works once and expires in ${minutes} minutes. If you did not ask for it, ignore this email: nothing happens without the link.`,
      '',
    ].join('\n'),
  };
}

/**
 * Creates a login token and queues its mail in one transaction: once this returns, the link is in
 * the outbox and will be sent (until it expires) even if SMTP is down or the process dies.
 */
export async function queueSignInLink(db: Db, email: string, intent: SignInIntent, ctx: { baseUrl: string; now: Date }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const token = await createLoginToken(tx, email, intent, ctx.now);
    const known = (await findUserByEmail(tx, email)) !== undefined;
    const link = `${ctx.baseUrl}/signin/verify?token=${token}`;
    const mail = signInMail({ link, siteUrl: ctx.baseUrl, known });
    await queueMail(tx, { to: email, ...mail, kind: 'sign-in', expiresAt: new Date(ctx.now.getTime() + LOGIN_TOKEN_TTL_MS) }, ctx);
  });
}
