// Upvotes arriving while `paperboy bench http` loads the pages: signed-in readers voting through the
// real POST /votes route (session cookie, CSRF token, JSON answer), spread over the web processes, so
// every measured page is invalidated and rendered anew as often as votes land.
import { createSession } from '../accounts/index.ts';
import type { Db } from '../store/db.ts';

export interface Voter {
  /** The session tokens of the readers who vote. */
  sessions: string[];
  /** arXiv ids to vote on. */
  papers: string[];
}

/** Readers with sessions, made in the store before the processes start (and copied with it). */
export async function prepareVoters(db: Db, papers: string[], readers: number, now: Date): Promise<Voter> {
  const sessions: string[] = [];
  for (let i = 0; i < readers; i++) {
    const email = `bench-voter${i}@example.org`;
    await db.insertInto('user_account').values({ email, created_at: now.toISOString(), role: 'member' }).onConflict((oc) => oc.column('email').doNothing()).execute();
    const user = await db.selectFrom('user_account').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    sessions.push(await createSession(db, user.id, 30, now));
  }
  return { sessions, papers };
}

interface Reader {
  base: string;
  cookie: string;
  csrf: string;
}

/** Signs each reader's browser in on one of the web processes: their CSRF cookie and token. */
async function openReaders(voter: Voter, webs: string[]): Promise<Reader[]> {
  return Promise.all(voter.sessions.map(async (session, i) => {
    const base = webs[i % webs.length]!;
    const res = await fetch(`${base}/account`, { headers: { cookie: `pb_session=${session}` } });
    const body = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    const csrfCookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('pb_csrf='));
    if (!token || !csrfCookie) throw new Error(`bench voter: ${base}/account gave no CSRF token (status ${res.status})`);
    return { base, cookie: `pb_session=${session}; ${csrfCookie}`, csrf: token };
  }));
}

/** Casts and withdraws upvotes at `perSecond` until stopped; resolves with what it did. */
export async function startVoting(voter: Voter, webs: string[], perSecond: number): Promise<{ stop: () => Promise<{ votes: number; failed: number; seconds: number }> }> {
  const readers = await openReaders(voter, webs);
  let votes = 0;
  let failed = 0;
  let stopped = false;
  const started = Date.now();
  const cast = async (n: number) => {
    const reader = readers[n % readers.length]!;
    const paper = voter.papers[Math.floor(Math.random() * voter.papers.length)]!;
    try {
      const res = await fetch(`${reader.base}/votes`, {
        method: 'POST',
        headers: { cookie: reader.cookie, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: reader.csrf, paper, vote: Math.random() < 0.7 ? '1' : '0' }),
      });
      await res.arrayBuffer();
      if (res.ok) votes++;
      else failed++;
    } catch {
      failed++;
    }
  };
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const due = started + (n * 1000) / perSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!stopped) await cast(n);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return { votes, failed, seconds: (Date.now() - started) / 1000 };
    },
  };
}
