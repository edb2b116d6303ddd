// Starting the paperboy processes `paperboy bench http` loads, knowing when their start-up work has
// ended (from their JSON log lines), and stopping them.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));

export interface Started {
  /** The web address (serve), or '' (worker). */
  url: string;
  pid: number;
  /**
   * Settles when the jobs the process queued at start (catchUpJobs: key phrases, mail, …) have all
   * ended, as its job_done and final job_failed log lines say; never for a process that runs no jobs.
   */
  startupJobs: Promise<void>;
  /** Settles when a web process has built what it builds at start (the recommendation window). */
  warmed: Promise<void>;
}

/** Starts a paperboy subcommand; resolves once it serves (with its URL) or runs jobs. */
export function startPaperboy(args: string[], env: Record<string, string>, children: ChildProcess[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  let queued: string[] | undefined;
  const ended = new Set<string>();
  let jobsEnded!: () => void;
  const startupJobs = new Promise<void>((resolve) => (jobsEnded = resolve));
  let warm!: () => void;
  const warmed = new Promise<void>((resolve) => (warm = resolve));
  const onLogLine = (line: string) => {
    let event: { event?: string; job?: string; jobs?: string[]; will_retry?: boolean };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      return;
    }
    if (event.event === 'jobs_caught_up' && Array.isArray(event.jobs)) queued = event.jobs;
    if ((event.event === 'job_done' || (event.event === 'job_failed' && event.will_retry === false)) && event.job) ended.add(event.job);
    if (queued && queued.every((j) => ended.has(j))) jobsEnded();
    if (event.event === 'recommend_window_built' || event.event === 'recommend_window_failed') warm();
  };
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d).slice(-4000);
    const lines = (partial + d).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLogLine(line);
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving on (http:\/\/\S+) |is running jobs/.exec(out);
      if (m) resolve({ url: m[1] ?? '', pid: child.pid!, startupJobs, warmed });
    });
    child.once('exit', (code) => reject(new Error(`paperboy ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`)));
  });
}

/**
 * Waits for the start-up work that shares the cores with the pages: the jobs the working process
 * queued at start, and each web process's recommendation window. Says how long it took.
 */
export async function waitForStartup(scenario: string, working: Started, webs: Started[]): Promise<void> {
  const started = Date.now();
  const limit = 30 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), limit)));
  const all = Promise.all([working.startupJobs, ...webs.map((w) => w.warmed)]).then(() => false);
  const late = await Promise.race([all, timedOut]);
  clearTimeout(timer);
  process.stdout.write(late
    ? `bench http: ${scenario}: start-up work still running after ${limit / 60_000} minutes; measuring anyway\n`
    : `bench http: ${scenario}: start-up jobs and warm-up ended after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

export async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.splice(0).map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  })));
}
