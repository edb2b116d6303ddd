// The sign-in email. Pure: it is built the same way whether or not the address has an account,
// apart from one welcoming sentence that only the mailbox owner sees.
import { LOGIN_TOKEN_TTL_MS } from './login.ts';

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
