// `paperboy bench digest`: renders and sends N digests to an in-process loopback SMTP server, in a
// throwaway SQLite database loaded with the shipped sample, and reports throughput and peak memory.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { silentLogger, type Logger } from '../log.ts';
import { createMailer } from '../mail/index.ts';
import { importFile } from '../import/index.ts';
import { latestAnnouncedOn, periodContaining } from '../papers/index.ts';
import { openStore } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { createProgress } from '../lib/progress.ts';
import type { Insertable } from 'kysely';
import type { SubscriptionTable } from '../store/schema.ts';
import { renderDigests } from '../digest/render-period.ts';
import { sendPendingDigests } from '../digest/send.ts';
import type { Mode } from '../commands/command.ts';

const SAMPLE = fileURLToPath(new URL('../../sample/arxiv-sample.jsonl.gz', import.meta.url));

export interface DigestBenchOptions {
  subscribers: number;
  concurrency: number;
  log: Logger;
  write: (line: string) => void;
}

// A realistic spread of preferences: most people take everything or one category; fewer follow keywords or authors.
const TOPIC_VARIANTS = [
  {}, {}, {}, {},
  { categories: ['cs.CL'] }, { categories: ['cs.LG'] }, { categories: ['cs.CV'] }, { categories: ['cs.AI', 'cs.RO'] }, { categories: ['stat'] },
  { keywords: ['language model'] }, { keywords: ['diffusion'] }, { keywords: ['reinforcement learning', 'robot'] },
  { authors: ['Wang'] }, { categories: ['cs.CL'], keywords: ['retrieval'] },
];

async function runDigestBench(opts: DigestBenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-digest-'));
  // Peak RSS comes from the kernel (getrusage maxrss); the heap is sampled.
  const peak = { heap: 0 };
  const sample = () => {
    peak.heap = Math.max(peak.heap, process.memoryUsage().heapUsed);
  };
  const sampler = setInterval(sample, 250);
  const store = await openStore({ dialect: 'sqlite', databaseUrl: `sqlite:${join(dir, 'bench.db')}`, sqlitePath: join(dir, 'bench.db') });
  const smtp = await startLoopbackSmtp();
  try {
    const port = smtp.port;
    await migrateToLatest(store.db);
    await importFile(store.db, SAMPLE);
    const day = (await latestAnnouncedOn(store.db))!;
    const period = periodContaining('day', day);
    await insertSubscribers(store.db, opts.subscribers);
    const baseline = process.memoryUsage().rss;
    opts.write(`digest bench: ${opts.subscribers.toLocaleString('en-US')} subscribers, daily digest for ${day}, SMTP concurrency ${opts.concurrency}, baseline RSS ${mb(baseline)}`);

    const progress = createProgress('rendering');
    let t = Date.now();
    let cpu = process.cpuUsage();
    const render = await renderDigests(store.db, { frequency: 'daily', period, baseUrl: 'https://paperboy.example', now: new Date(), onProgress: (n) => progress.update(n, opts.subscribers) });
    progress.done();
    const renderMs = Date.now() - t;
    const renderCpu = cpuMs(process.cpuUsage(cpu));
    opts.write(`render: ${render.rendered.toLocaleString('en-US')} digests (${render.empty} empty, ${render.contents} distinct bodies, ${render.candidates} papers) in ${(renderMs / 1000).toFixed(1)}s = ${rate(render.rendered, renderMs)} digests/s (CPU ${(renderCpu / 1000).toFixed(1)}s)`);

    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'paperboy <digest@paperboy.example>', dataDir: dir, baseUrl: 'https://paperboy.example' }, silentLogger, { maxConnections: opts.concurrency });
    const sendProgress = createProgress('sending');
    t = Date.now();
    cpu = process.cpuUsage();
    const sched = mainThreadSchedstat();
    const sent = await sendPendingDigests(store.db, mailer, {
      secret: 'bench-secret-0123456789', baseUrl: 'https://paperboy.example', mailFrom: 'paperboy <digest@paperboy.example>', log: opts.log,
      concurrency: opts.concurrency, onProgress: (s) => sendProgress.update(s.sent, render.rendered),
    });
    sendProgress.done();
    const sendMs = Date.now() - t;
    const sendCpu = cpuMs(process.cpuUsage(cpu));
    const sched2 = mainThreadSchedstat();
    await mailer.close();
    sample();
    opts.write(`send: ${sent.sent.toLocaleString('en-US')} messages accepted by SMTP (server counted ${(await smtp.received()).toLocaleString('en-US')}) in ${(sendMs / 1000).toFixed(1)}s = ${rate(sent.sent, sendMs)} messages/s; CPU ${(sendCpu / 1000).toFixed(1)}s = ${(sendCpu / Math.max(sent.sent, 1)).toFixed(2)} ms/message (SMTP server included: same process)`);
    if (sched && sched2) {
      const onCpu = (sched2.onCpuNs - sched.onCpuNs) / 1e6;
      const waited = (sched2.waitNs - sched.waitNs) / 1e6;
      opts.write(`sender thread: on CPU ${(onCpu / 1000).toFixed(1)}s = ${(onCpu / Math.max(sent.sent, 1)).toFixed(2)} ms/message (≈ ${rate(sent.sent, onCpu)} messages/s on a free core); waited ${(waited / 1000).toFixed(1)}s for a CPU (machine load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
    }
    opts.write(`total: ${rate(sent.sent, renderMs + sendMs)} messages/s end to end; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (baseline ${mb(baseline)}), peak heap ${mb(peak.heap)}`);
  } finally {
    clearInterval(sampler);
    await smtp.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The SMTP server runs in a worker thread: in-process, as the bench promises, but on its own event loop,
// so its parsing does not eat into the sender's time (a real relay runs on another machine).
const SMTP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { SMTPServer } = require(workerData.module);
let received = 0;
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
  onData(stream, _session, cb) { stream.on('data', () => {}); stream.on('end', () => { received++; cb(); }); },
});
server.on('error', () => {});
server.server.on('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'count') parentPort.postMessage({ received });
  if (m === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
`;

async function startLoopbackSmtp(): Promise<{ port: number; received(): Promise<number>; close(): Promise<void> }> {
  const { Worker } = await import('node:worker_threads');
  const module = createRequire(import.meta.url).resolve('smtp-server'); // a devDependency: only the bench needs a server
  const worker = new Worker(SMTP_WORKER, { eval: true, workerData: { module } });
  const reply = <T>(key: string) => new Promise<T>((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (key in m) {
        worker.off('message', onMessage);
        resolve(m[key] as T);
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  const port = await reply<number>('port');
  return {
    port,
    received: () => { const r = reply<number>('received'); worker.postMessage('count'); return r; },
    close: async () => { const r = reply<boolean>('closed'); worker.postMessage('close'); await r; await worker.terminate(); },
  };
}

async function insertSubscribers(db: import('../store/db.ts').Db, n: number): Promise<void> {
  const at = new Date().toISOString();
  for (let start = 0; start < n; start += 2000) {
    const rows: Insertable<SubscriptionTable>[] = [];
    for (let i = start; i < Math.min(n, start + 2000); i++) {
      const v = TOPIC_VARIANTS[i % TOPIC_VARIANTS.length] as { categories?: string[]; keywords?: string[]; authors?: string[] };
      rows.push({
        email: `reader${i}@bench.example`, frequency: 'daily', status: 'active', min_upvotes: 0, created_at: at, updated_at: at, confirmed_at: at,
        topics: JSON.stringify({ categories: v.categories ?? [], keywords: v.keywords ?? [], authors: v.authors ?? [] }),
      });
    }
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 400) await tx.insertInto('subscription').values(rows.slice(i, i + 400)).execute();
    });
  }
}

/** Linux only: the main thread's time on a CPU and waiting for one, so a busy machine can be told apart from slow code. */
function mainThreadSchedstat(): { onCpuNs: number; waitNs: number } | undefined {
  try {
    const [on, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(' ').map(Number);
    return { onCpuNs: on!, waitNs: wait! };
  } catch {
    return undefined;
  }
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function rate(n: number, ms: number): string {
  return Math.round(n / Math.max(ms / 1000, 0.001)).toLocaleString('en-US');
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MB`;
}

export const mode: Mode = {
  help: `
Usage: paperboy bench digest [--subscribers N] [--concurrency C]

Loads the shipped sample into a throwaway SQLite database, adds N confirmed subscribers (default
10000) with a spread of topic filters, renders the latest day's digest for all of them, and sends
every message to an in-process loopback SMTP server with C connections (default 8). Prints
digests/s, messages/s and peak memory. Touches nothing of yours.
`,
  options: { subscribers: { type: 'string' }, concurrency: { type: 'string' } },
  async run(ctx, { values }) {
    const subscribers = Number(values.subscribers ?? 10_000);
    const concurrency = Number(values.concurrency ?? 8);
    if (!Number.isInteger(subscribers) || subscribers < 1 || subscribers > 10_000_000) {
      process.stderr.write('paperboy bench digest: --subscribers must be a whole number from 1 to 10000000\n');
      return 2;
    }
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
      process.stderr.write('paperboy bench digest: --concurrency must be a whole number from 1 to 100\n');
      return 2;
    }
    await runDigestBench({ subscribers, concurrency, log: ctx.log, write: (line) => process.stdout.write(line + '\n') });
    return 0;
  },
};
