// A tiny cookie-keeping client for the community suites, and sign-in through the real emailed link.
import type { TestSmtp } from './smtp.ts';

export interface Page {
  status: number;
  body: string;
  location: string | null;
  headers: Headers;
}

/** The upvote count a rendered card shows for a paper, or undefined when the page has no such card. */
export function voteCount(body: string, arxivId: string): number | undefined {
  const m = new RegExp(`data-vote="${arxivId.replace('.', '\\.')}"[\\s\\S]*?<span class="vote-count">(\\d+)</span>`).exec(body);
  return m ? Number(m[1]) : undefined;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly ip = '127.0.0.1',
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { 'x-forwarded-for': this.ip, ...(cookie ? { cookie } : {}), ...extra };
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, extra: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(new URL(path, this.base), { headers: this.headers(extra), redirect: 'manual' });
    this.keep(res);
    return { status: res.status, body: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  async post(path: string, fields: Record<string, string>, extra: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(new URL(path, this.base), {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...extra }),
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
    this.keep(res);
    return { status: res.status, body: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** A CSRF token for this browser (loads a page with a form when none is known yet). */
  async csrf(): Promise<string> {
    const page = await this.get('/signin');
    const m = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (m) return m[1]!;
    const account = await this.get('/account');
    return /name="_csrf" value="([^"]+)"/.exec(account.body)![1]!;
  }

  /** Posts a form with this browser's CSRF token. */
  async submit(path: string, fields: Record<string, string>, extra: Record<string, string> = {}): Promise<Page> {
    return this.post(path, { _csrf: await this.csrf(), ...fields }, extra);
  }
}

export function csrfOf(body: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(body)![1]!;
}

export function linkIn(text: string): string {
  const m = /(https?:\/\/\S+\/signin\/verify\?token=[\w-]+)/.exec(text);
  if (!m) throw new Error(`no sign-in link in:\n${text}`);
  return m[1]!;
}

/** Requests a link, reads it from the mail that arrived, follows it and confirms. Returns the last page. */
export async function signInByEmail(b: Browser, smtp: TestSmtp, email: string, query = ''): Promise<Page> {
  const form = await b.get(`/signin${query}`);
  const hidden = Object.fromEntries([...form.body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
  const before = smtp.messages.length;
  const sent = await b.post('/signin', { ...hidden, email });
  if (sent.status !== 200) throw new Error(`sign-in request answered ${sent.status}: ${sent.body.slice(0, 300)}`);
  const mail = (await smtp.waitFor(before + 1))[before]!;
  const link = linkIn(mail.parsed.text ?? '');
  const confirm = await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
  if (confirm.status !== 200) throw new Error(`verify page answered ${confirm.status}`);
  const token = /name="token" value="([^"]+)"/.exec(confirm.body)![1]!;
  return b.post('/signin/verify', { _csrf: csrfOf(confirm.body), token });
}
