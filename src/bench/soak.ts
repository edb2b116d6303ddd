// `paperboy bench soak`: minutes of mixed traffic against a real `paperboy serve` on a copy of a
// database, while votes arrive, a harvest replays and a digest send runs; then checks that every
// acknowledged write is in the database. Prints req/s, p50/p99 per route, non-2xx and RSS over time.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { createSession, ensureUser } from '../accounts/index.ts';
import { percentile } from './metrics.ts';
import { startOaiReplay } from './harvest.ts';
import { describeSample, judgeFlatness, MIN_WARMUP_S, rssMb, sampleMemory, SAMPLE_EVERY_MS, type MemorySample } from './soak-memory.ts';
import type { Mode } from '../commands/command.ts';

const BIN = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));
const QUERIES = ['transformer', 'graph neural network', 'diffusion model image', 'reinforcement learning robot', 'language model reasoning', 'quantum error correction', 'au:hinton', '"state space model"', 'ti:survey cat:cs.CL', 'protein folding', 'https://arxiv.org/abs/%25ZZ'];

interface Stat { times: number[]; statuses: Map<number, number> }

export const mode: Mode = {
  help: `
Usage: paperboy bench soak --db FILE [--minutes M] [--connections C] [--data FILE] [--cache-mb N]

Copies the SQLite database FILE (e.g. one "paperboy import" filled from
../shared/data/arxiv/papers.jsonl.gz), starts "paperboy serve" on it with a loopback SMTP server,
and sends mixed traffic for M minutes (default 10) on C connections (default 32), each its own
client address: listings, hot, paper pages and JSON, searches with varied queries, the API, feeds,
votes by signed-in users, sign-in requests and digest subscriptions. Meanwhile "paperboy harvest"
replays the first 5,000 papers of --data (default: none) from a loopback OAI-PMH server and
"paperboy digest send" mails 2,000 subscribers. The server runs with CACHE_MEMORY_MB=N when
--cache-mb is given (else its default, or CACHE_MEMORY_MB from the environment).

Prints, every 30 s, the server's RSS, V8 heaps and cache bytes (from /status); at the end req/s,
p50/p99 per route, errors, non-2xx by status, whether every acknowledged vote, sign-in link and
subscription is in the database, and whether RSS stayed flat after warm-up: warm-up lasts at least
${MIN_WARMUP_S / 60} minutes and until the caches grew by less than 2 % of the budget in a minute; flat means
the largest RSS from then on is within 10 % of the smallest (at least 5 samples). The last line is
all of it as JSON.
`,
  options: { db: { type: 'string' }, minutes: { type: 'string' }, connections: { type: 'string' }, data: { type: 'string' }, 'cache-mb': { type: 'string' } },
  async run(_ctx, { values }) {
    if (typeof values.db !== 'string') {
      process.stderr.write('paperboy bench soak: --db FILE is required (a SQLite database with papers)\n');
      return 2;
    }
    const minutes = Number(values.minutes ?? 10);
    const connections = Number(values.connections ?? 32);
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-soak-'));
    const children: ChildProcess[] = [];
    const { startSmtpSink } = await import('./smtp-sink.ts');
    const smtp = await startSmtpSink();
    try {
      const dbFile = join(dir, 'soak.db');
      copyFileSync(values.db, dbFile);
      const store = await openStore({ databaseUrl: `sqlite:${dbFile}`, dialect: 'sqlite', sqlitePath: dbFile });
      await migrateToLatest(store.db);
      process.stdout.write('bench soak: database copied and migrated\n');
      const ids = (await store.db.selectFrom('paper').select('arxiv_id').orderBy('id', 'desc').limit(3000).execute()).map((r) => r.arxiv_id);
      const categories = (await store.db.selectFrom('paper_category').select('category').distinct().limit(30).execute()).map((r) => r.category);
      const now = new Date();
      const sessions: string[] = [];
      for (let i = 0; i < connections; i++) sessions.push(await createSession(store.db, (await ensureUser(store.db, `soak${i}@example.org`, now)).id, 1, now));
      const at = now.toISOString();
      for (let i = 0; i < 2000; i += 500) {
        await store.db.insertInto('subscription').values(Array.from({ length: 500 }, (_, j) => ({
          email: `reader${i + j}@example.org`, frequency: 'daily', topics: JSON.stringify({ categories: [], keywords: [], authors: [] }), min_upvotes: 0, status: 'active', confirmed_at: at, created_at: at, updated_at: at,
        }))).execute();
      }
      const env = {
        DATABASE_URL: `sqlite:${dbFile}`, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', PAPERBOY_SAMPLE: 'off', LOG_LEVEL: 'error', HARVEST_CRON: 'off', EMBEDDINGS: 'off',
        SMTP_URL: smtp.url, TRUST_PROXY: 'on', SIGNIN_LIMIT_PER_HOUR: '100000', DIGEST_DAILY_CRON: 'off', DIGEST_WEEKLY_CRON: 'off',
        ...cacheMemory(values['cache-mb']),
      };
      const { url, child } = await startServe(env, children);
      process.stdout.write(`bench soak: ${ids.length.toLocaleString('en-US')}+ papers, ${connections} connections, ${minutes} min; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start\n`);

      const stats = new Map<string, Stat>();
      let errors = 0;
      const votes = new Map<string, boolean>(); // user:paper → last acknowledged state
      const signins: string[] = [];
      const subscriptions: string[] = [];
      const started = Date.now();
      const deadline = started + minutes * 60_000;
      const memory: MemorySample[] = [];
      const sample = async () => {
        const s = await sampleMemory(url, child.pid!, Math.round((Date.now() - started) / 1000));
        memory.push(s);
        process.stdout.write(`bench soak: ${describeSample(s)}\n`);
      };
      await sample();
      const sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS);
      const background = runBackground(env, values.data as string | undefined, children);

      const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
      await Promise.all(Array.from({ length: connections }, async (_, c) => {
        const ip = `10.77.${c >> 8}.${c & 255}`;
        const form = await fetch(`${url}/account`, { headers: { cookie: `pb_session=${sessions[c]}`, 'x-forwarded-for': ip } });
        const csrfCookie = form.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
        const cookie = `${csrfCookie}; pb_session=${sessions[c]}`;
        let n = 0;
        while (Date.now() < deadline) {
          n++;
          const r = Math.random();
          type Req = { route: string; path: string; body?: Record<string, string>; json?: { email: string; frequency: string } };
          const req: Req = r < 0.16 ? { route: 'GET /', path: '/' }
            : r < 0.21 ? { route: 'GET /?view=hot', path: '/?view=hot' }
            : r < 0.38 ? { route: 'GET /papers/:id', path: `/papers/${pick(ids)}` }
            : r < 0.46 ? { route: 'GET /api/papers/:id', path: `/api/papers/${pick(ids)}` }
            : r < 0.54 ? { route: 'GET /search', path: `/search?q=${encodeURIComponent(pick(QUERIES))}` }
            : r < 0.58 ? { route: 'GET /api/papers/search', path: `/api/papers/search?q=${encodeURIComponent(pick(QUERIES))}&sort=${pick(['relevance', 'newest', 'upvotes'])}` }
            : r < 0.62 ? { route: 'GET /feeds/daily.rss', path: '/feeds/daily.rss' }
            : r < 0.66 ? { route: 'GET /categories/:c', path: `/categories/${pick(categories)}` }
            : r < 0.68 ? { route: 'GET /healthz', path: '/healthz' }
            : r < 0.92 ? { route: 'POST /votes', path: '/votes', body: { _csrf: csrf, paper: pick(ids.slice(0, 300)), vote: Math.random() < 0.7 ? '1' : '0' } }
            : r < 0.96 ? { route: 'POST /signin', path: '/signin', body: { _csrf: csrf, email: `soak-signin-${c}-${n}@example.org` } }
            : { route: 'POST /api/subscriptions', path: '/api/subscriptions', json: { email: `soak-sub-${c}-${n}@example.org`, frequency: 'daily' } };
          const started = performance.now();
          try {
            const res = await fetch(`${url}${req.path}`, {
              method: req.body || req.json ? 'POST' : 'GET',
              headers: {
                'x-forwarded-for': ip, cookie, accept: req.route === 'POST /votes' ? 'application/json' : '*/*',
                ...(req.body ? { 'content-type': 'application/x-www-form-urlencoded' } : req.json ? { 'content-type': 'application/json' } : {}),
              },
              body: req.body ? new URLSearchParams(req.body) : req.json ? JSON.stringify(req.json) : undefined,
              redirect: 'manual',
            });
            const text = await res.text();
            const s: Stat = stats.get(req.route) ?? { times: [], statuses: new Map<number, number>() };
            stats.set(req.route, s);
            s.times.push(performance.now() - started);
            s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
            if (res.status === 200 && req.route === 'POST /votes') {
              const body = JSON.parse(text) as { paper: string; voted: boolean };
              votes.set(`${c}:${body.paper}`, body.voted);
            }
            if (res.status === 200 && req.route === 'POST /signin') signins.push(req.body!.email!);
            if (res.status === 202) subscriptions.push(req.json!.email);
          } catch {
            errors++;
          }
        }
      }));
      clearInterval(sampler);
      await sample();
      await background.stop();
      const totals = report(stats, errors, minutes);
      const flatness = judgeFlatness(memory);
      process.stdout.write(`  RSS: ${memory.map((s) => `${s.at}s ${s.rssMb}`).join(', ')} MB\n  RSS after warm-up: ${flatness.verdict}\n`);
      const lost = await checkWrites(store.db, votes, signins, subscriptions, sessions.length);
      process.stdout.write(`bench soak: load average ${loadavg()[0]!.toFixed(1)} at end; SMTP received ${smtp.received()} messages\n`);
      process.stdout.write(`${JSON.stringify({
        minutes, connections, cacheMemoryMb: memory.at(-1)?.budgetMb, ...totals, lostWrites: lost,
        rssMb: memory.map((s) => [s.at, s.rssMb]), ...flatness,
      })}\n`);
      await store.close();
      return 0;
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** CACHE_MEMORY_MB for the server: --cache-mb, else the environment's, else the server's default. */
function cacheMemory(flag: unknown): Record<string, string> {
  const mb = typeof flag === 'string' ? flag : process.env.CACHE_MEMORY_MB;
  return mb ? { CACHE_MEMORY_MB: mb } : {};
}

async function startServe(env: Record<string, string>, children: ChildProcess[]): Promise<{ url: string; child: ChildProcess }> {
  // Background jobs of the web process (summaries, thumbnails, embeddings catching up on a large
  // corpus) are a worker's load, not the web's: the soak runs the harvest and digest as processes.
  // NODE_OPTIONS reaches the server (e.g. --heapsnapshot-signal=SIGUSR2 to look inside it mid-run).
  const nodeOptions = process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {};
  const child = spawn(process.execPath, [BIN, 'serve', '--no-jobs'], { env: { PATH: process.env.PATH!, ...nodeOptions, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { url, child };
}

/** The harvest replay and the digest send, each a real process against the same database. */
function runBackground(env: Record<string, string>, data: string | undefined, children: ChildProcess[]): { stop: () => Promise<void> } {
  const done: Array<Promise<void>> = [];
  const run = (args: string[], extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    const started = Date.now();
    done.push(new Promise((resolve) => child.once('exit', (code) => {
      process.stdout.write(`bench soak: ${args.join(' ')} exited ${code} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      resolve();
    })));
  };
  run(['digest', 'send', '--frequency', 'daily']);
  let close: (() => Promise<void>) | undefined;
  if (data) {
    done.push(startOaiReplay(data, 5000).then((oai) => {
      close = oai.close;
      run(['harvest', '--from', '2000-01-01', '--set', 'cs'], { ARXIV_OAI_URL: oai.url, ARXIV_MIN_INTERVAL_MS: '0' });
    }));
  }
  return { stop: async () => { await Promise.all(done); await close?.(); } };
}

function report(stats: Map<string, Stat>, errors: number, minutes: number): { requests: number; reqPerSec: number; errors: number; fiveXx: number; non2xx: number } {
  let total = 0;
  let fiveXx = 0;
  let non2xx = 0;
  const lines: string[] = [];
  for (const [route, s] of [...stats].sort()) {
    total += s.times.length;
    const codes = [...s.statuses].filter(([code]) => code >= 300).map(([code, n]) => `${code}×${n}`).join(' ');
    fiveXx += [...s.statuses].filter(([code]) => code >= 500).reduce((a, [, n]) => a + n, 0);
    non2xx += [...s.statuses].filter(([code]) => code >= 300).reduce((a, [, n]) => a + n, 0);
    lines.push(`  ${route.padEnd(26)} ${String(s.times.length).padStart(7)}  p50 ${percentile(s.times, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(s.times, 99).toFixed(1).padStart(8)} ms  ${codes || 'all 2xx'}`);
  }
  const reqPerSec = Number((total / (minutes * 60)).toFixed(1));
  process.stdout.write(`bench soak: ${total.toLocaleString('en-US')} requests, ${reqPerSec} req/s, ${errors} errors, ${fiveXx} 5xx\n${lines.join('\n')}\n`);
  return { requests: total, reqPerSec, errors, fiveXx, non2xx };
}

async function checkWrites(db: import('../store/db.ts').Db, votes: Map<string, boolean>, signins: string[], subscriptions: string[], users: number): Promise<number> {
  const rows = await db.selectFrom('vote').innerJoin('paper', 'paper.id', 'vote.paper_id').innerJoin('user_account as u', 'u.id', 'vote.user_id')
    .select(['paper.arxiv_id', 'u.email']).where('u.email', 'like', 'soak%@example.org').execute();
  const have = new Set(rows.map((r) => `${/^soak(\d+)@/.exec(r.email)?.[1]}:${r.arxiv_id}`));
  let lostVotes = 0;
  for (const [key, voted] of votes) if (voted !== have.has(key)) lostVotes++;
  const queued = new Set((await db.selectFrom('mail_outbox').select('recipient').where('recipient', 'like', 'soak-%').execute()).map((r) => r.recipient));
  const lostSignins = signins.filter((e) => !queued.has(e)).length;
  const subs = new Set((await db.selectFrom('subscription').select('email').where('email', 'like', 'soak-sub-%').execute()).map((r) => r.email));
  const lostSubs = subscriptions.filter((e) => !subs.has(e) || !queued.has(e)).length;
  process.stdout.write(`bench soak: acknowledged writes: ${votes.size} vote states of ${users} users (${lostVotes} differ in the database), ${signins.length} sign-in links (${lostSignins} missing from the outbox), ${subscriptions.length} subscriptions (${lostSubs} missing or without a queued confirmation)\n`);
  return lostVotes + lostSignins + lostSubs;
}
