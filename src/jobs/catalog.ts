// Every background job paperboy runs, registered by name: the one place a module adds its jobs, and
// their schedules. Modules export the handlers (harvest/job.ts, search/embed-job.ts, digest/jobs.ts);
// this file wires them to the queue with their retry and expiry settings.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { Mailer } from '../mail/index.ts';
import type { SemanticSearch } from '../search/semantic.ts';
import { harvestIsDue, harvestJob, HARVEST_JOB, HARVEST_TIMEZONE } from '../harvest/index.ts';
import { embedJob, EMBED_CRON, EMBED_JOB } from '../search/embed-job.ts';
import { topListsJob, TOP_LISTS_CRON, TOP_LISTS_JOB } from '../search/top-lists-job.ts';
import { termsJob, TERMS_CRON, TERMS_JOB } from '../search/terms-job.ts';
import { digestIsDue, digestRenderJob, digestSendJob, DIGEST_RENDER_JOBS, DIGEST_SEND_JOB, DIGEST_SWEEP_CRON, type DigestJobDeps } from '../digest/index.ts';
import { replyNotifyJob, REPLY_NOTIFY_JOB, REPLY_SWEEP_CRON } from '../comments/index.ts';
import { runSummaries, SUMMARY_CRON, SUMMARY_JOB } from '../summary/index.ts';
import { makeThumbnails, THUMBNAILS_CRON, THUMBNAILS_JOB } from '../thumbnails/index.ts';
import { refreshStars, STARS_CRON, STARS_JOB } from '../repos/index.ts';
import { hfSyncJob, HF_SYNC_JOB } from '../huggingface/index.ts';
import type { JobHandler, JobQueue } from './queue.ts';
import { mailSendJob, MAIL_SEND_JOB, MAIL_SWEEP_CRON } from '../mail/index.ts';
import { pruneJob, PRUNE_CRON, PRUNE_JOB } from './prune.ts';

/** What job handlers get: the same dependencies routes get, plus the queue for follow-up jobs. */
export interface JobDeps {
  config: Config;
  log: Logger;
  db: Db;
  now: () => Date;
  queue: JobQueue;
  /** The instance secret (signs digest links). */
  secret: string;
  mailer: Mailer;
  /** Absent when EMBEDDINGS resolves to off. */
  semantic?: SemanticSearch | undefined;
}

/** Follow-up jobs any process may ask for; the singleton key keeps one waiting at a time. */
export function requestJob(queue: JobQueue, name: string): Promise<void> {
  return queue.enqueue(name, {}, { singletonKey: `soon:${name}` }).then(() => undefined);
}

function digestDeps(deps: JobDeps): DigestJobDeps {
  return {
    db: deps.db, mailer: deps.mailer, log: deps.log, now: deps.now,
    send: { secret: deps.secret, baseUrl: deps.config.baseUrl, mailFrom: deps.config.mailFrom, concurrency: deps.config.smtpMaxConnections },
    requestSend: () => requestJob(deps.queue, DIGEST_SEND_JOB),
  };
}

/** What follows new or changed papers: embeddings, key phrases, thumbnails, code stars. */
function requestPaperJobs(queue: JobQueue, config: Config): Promise<void> {
  const jobs = [EMBED_JOB, SUMMARY_JOB, ...(config.around.thumbnails ? [THUMBNAILS_JOB] : []), ...(config.around.githubStars ? [STARS_JOB] : [])];
  return Promise.all(jobs.map((name) => requestJob(queue, name))).then(() => undefined);
}

/** A job whose run is its work done once, stopping at the queue's abort signal; it takes no payload. */
function runOnce<D>(work: (deps: D, signal: AbortSignal) => Promise<unknown>, deps: D): JobHandler<object> {
  return async (_payload, run) => {
    await work(deps, run.signal);
  };
}

export function registerJobs(queue: JobQueue, deps: JobDeps): void {
  // A harvest pages through arXiv politely (3 s between requests): hours for a large backlog.
  queue.registerJob(HARVEST_JOB, harvestJob({ ...deps, onPapersChanged: () => requestPaperJobs(queue, deps.config) }), { expireInSeconds: 6 * 3600, retryLimit: 3, retryDelaySeconds: 300 });
  queue.registerJob(EMBED_JOB, embedJob(deps.semantic, deps.log.child({ job: EMBED_JOB })), { expireInSeconds: 6 * 3600, retryDelaySeconds: 60 });
  const digest = digestDeps(deps);
  queue.registerJob(DIGEST_RENDER_JOBS.daily, digestRenderJob(digest, 'daily'), { expireInSeconds: 3600, retryDelaySeconds: 120 });
  queue.registerJob(DIGEST_RENDER_JOBS.weekly, digestRenderJob(digest, 'weekly'), { expireInSeconds: 3600, retryDelaySeconds: 120 });
  const around = { db: deps.db, log: deps.log.child({ job: SUMMARY_JOB }), now: deps.now, around: deps.config.around };
  queue.registerJob(SUMMARY_JOB, runOnce(runSummaries, around), { expireInSeconds: 3600, retryDelaySeconds: 60 });
  // One PDF at a time at arXiv's pace (ARXIV_MIN_INTERVAL_MS): a day's few hundred papers take ~20 minutes.
  queue.registerJob(THUMBNAILS_JOB, runOnce(makeThumbnails, { db: deps.db, config: deps.config, log: deps.log.child({ job: THUMBNAILS_JOB }), now: deps.now }), { expireInSeconds: 6 * 3600, retryDelaySeconds: 300 });
  queue.registerJob(HF_SYNC_JOB, hfSyncJob({ db: deps.db, around: deps.config.around, log: deps.log.child({ job: HF_SYNC_JOB }), now: deps.now }), { expireInSeconds: 1800, retryDelaySeconds: 600 });
  queue.registerJob(STARS_JOB, runOnce(refreshStars, { db: deps.db, around: deps.config.around, log: deps.log.child({ job: STARS_JOB }), now: deps.now }), { expireInSeconds: 3600, retryDelaySeconds: 300 });
  // Sends stop at a safe point between messages; an expired claim is taken over by the next sweep.
  queue.registerJob(DIGEST_SEND_JOB, digestSendJob(digest), { expireInSeconds: 6 * 3600, retryDelaySeconds: 60 });
  queue.registerJob(REPLY_NOTIFY_JOB, replyNotifyJob({
    db: deps.db, baseUrl: deps.config.baseUrl, secret: deps.secret, now: deps.now, log: deps.log.child({ job: REPLY_NOTIFY_JOB }),
    requestSend: () => requestJob(queue, MAIL_SEND_JOB),
    requestLater: (at) => queue.enqueue(REPLY_NOTIFY_JOB, {}, { singletonKey: `later:${REPLY_NOTIFY_JOB}`, startAfter: at }).then(() => undefined),
  }), { expireInSeconds: 900, retryDelaySeconds: 60 });
  queue.registerJob(MAIL_SEND_JOB, mailSendJob(deps), { expireInSeconds: 3600, retryDelaySeconds: 30 });
  queue.registerJob(PRUNE_JOB, pruneJob(deps), { expireInSeconds: 3600, retryDelaySeconds: 300 });
  queue.registerJob(TOP_LISTS_JOB, topListsJob(deps.db, deps.log.child({ job: TOP_LISTS_JOB })), { expireInSeconds: 3600, retryDelaySeconds: 300 });
  queue.registerJob(TERMS_JOB, termsJob(deps.db, deps.log.child({ job: TERMS_JOB })), { expireInSeconds: 3600, retryDelaySeconds: 300 });
}

/** Cron schedules; only processes that run jobs set them. A job left unscheduled here has none. */
export async function scheduleJobs(queue: JobQueue, deps: JobDeps): Promise<void> {
  const { config } = deps;
  if (config.harvestCron !== 'off') await queue.schedule(HARVEST_JOB, config.harvestCron, {}, { timezone: HARVEST_TIMEZONE });
  if (deps.semantic) await queue.schedule(EMBED_JOB, EMBED_CRON, {});
  await queue.schedule(SUMMARY_JOB, SUMMARY_CRON, {});
  if (config.around.thumbnails) await queue.schedule(THUMBNAILS_JOB, THUMBNAILS_CRON, {});
  if (config.around.githubStars) await queue.schedule(STARS_JOB, STARS_CRON, {});
  if (config.around.hfSyncCron !== 'off') await queue.schedule(HF_SYNC_JOB, config.around.hfSyncCron, {});
  if (config.digestDailyCron !== 'off') await queue.schedule(DIGEST_RENDER_JOBS.daily, config.digestDailyCron, {});
  if (config.digestWeeklyCron !== 'off') await queue.schedule(DIGEST_RENDER_JOBS.weekly, config.digestWeeklyCron, {});
  if (config.digestDailyCron !== 'off' || config.digestWeeklyCron !== 'off') await queue.schedule(DIGEST_SEND_JOB, DIGEST_SWEEP_CRON, {});
  // Reply mail held back by the one-an-hour rule, and any a crash left unqueued.
  await queue.schedule(REPLY_NOTIFY_JOB, REPLY_SWEEP_CRON, {});
  await queue.schedule(MAIL_SEND_JOB, MAIL_SWEEP_CRON, {});
  await queue.schedule(PRUNE_JOB, PRUNE_CRON, {});
  await queue.schedule(TOP_LISTS_JOB, TOP_LISTS_CRON, {});
  await queue.schedule(TERMS_JOB, TERMS_CRON, {});
  deps.log.info('job_schedules', { harvest: config.harvestCron, harvest_timezone: HARVEST_TIMEZONE, embed: deps.semantic ? EMBED_CRON : 'off', digest_daily: config.digestDailyCron, digest_weekly: config.digestWeeklyCron });
}

/**
 * What a working process does on start: embed anything stored while no job ran, send what a crash
 * left in the outboxes, and run a harvest or digest whose scheduled time passed while nothing ran jobs.
 */
export async function catchUpJobs(queue: JobQueue, deps: JobDeps): Promise<void> {
  const { config, db } = deps;
  const now = deps.now();
  const due: string[] = [MAIL_SEND_JOB];
  if (deps.semantic) due.push(EMBED_JOB);
  due.push(SUMMARY_JOB, TERMS_JOB, TOP_LISTS_JOB);
  if (config.around.thumbnails) due.push(THUMBNAILS_JOB);
  if (config.digestDailyCron !== 'off' || config.digestWeeklyCron !== 'off') due.push(DIGEST_SEND_JOB);
  if (await harvestIsDue(db, config.harvestCron, now)) due.push(HARVEST_JOB);
  if (await digestIsDue(db, 'daily', config.digestDailyCron, now)) due.push(DIGEST_RENDER_JOBS.daily);
  if (await digestIsDue(db, 'weekly', config.digestWeeklyCron, now)) due.push(DIGEST_RENDER_JOBS.weekly);
  for (const name of due) await requestJob(queue, name);
  if (due.length > 0) deps.log.info('jobs_caught_up', { jobs: due });
}
