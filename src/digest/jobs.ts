// Digests as jobs on the queue: `digest-daily` and `digest-weekly` render a period into the outbox
// at their cron times (UTC), then ask for `digest-send`, which sends what the outbox holds. A send
// sweep every few minutes also sends retries and anything a crashed run left behind. The outbox
// (one row per subscriber and period, claimed before sending) keeps a message from going twice,
// however many workers run these jobs.
import { Cron } from 'croner';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Mailer } from '../mail/index.ts';
import { addDays, isoDay, periodContaining, type Period } from '../papers/index.ts';
import type { Frequency } from './preferences.ts';
import { renderDigests } from './render-period.ts';
import { digestPeriod } from './run.ts';
import { sendPendingDigests, type SendOptions } from './send.ts';

export const DIGEST_RENDER_JOBS: Record<Frequency, string> = { daily: 'digest-daily', weekly: 'digest-weekly' };
export const DIGEST_SEND_JOB = 'digest-send';
/** How often pending sends (retries, leftovers of a crash) are swept. */
export const DIGEST_SWEEP_CRON = '*/5 * * * *';

export interface DigestJobDeps {
  db: Db;
  mailer: Mailer;
  log: Logger;
  now: () => Date;
  send: Omit<SendOptions, 'signal' | 'log' | 'now'>;
  /** Asks for a `digest-send` job (on the queue, so any worker may take it). */
  requestSend: () => Promise<void>;
}

export interface DigestRenderPayload {
  /** YYYY-MM-DD inside the period; default the latest day with papers (daily) or last week (weekly). */
  date?: string;
}

/** The periods a render job covers: the latest, plus (daily) either of the two days before it never digested (a late harvest). */
async function periodsToRender(db: Db, frequency: Frequency, date: string | undefined, now: Date): Promise<Period[]> {
  const latest = await digestPeriod(db, frequency, date, now);
  if (!latest) return [];
  if (frequency === 'weekly' || date !== undefined) return [latest];
  const days = [addDays(latest.start, -2), addDays(latest.start, -1)].filter((d) => d <= isoDay(now));
  if (days.length === 0) return [latest];
  const done = await db.selectFrom('digest_run').select('period_key').where('frequency', '=', 'daily').where('period_key', 'in', days).where('rendered_at', 'is not', null).execute();
  const doneKeys = new Set(done.map((r) => r.period_key));
  return [...days.filter((d) => !doneKeys.has(d)).map((d) => periodContaining('day', d)), latest];
}

/** The handler for `digest-daily` / `digest-weekly`: renders into the outbox (idempotent), then requests a send. */
export function digestRenderJob(deps: DigestJobDeps, frequency: Frequency) {
  return async (payload: DigestRenderPayload, run: { signal: AbortSignal }): Promise<void> => {
    const log = deps.log.child({ job: DIGEST_RENDER_JOBS[frequency] });
    let rendered = 0;
    for (const period of await periodsToRender(deps.db, frequency, payload.date, deps.now())) {
      if (run.signal.aborted) return;
      const started = Date.now();
      const r = await renderDigests(deps.db, { frequency, period, baseUrl: deps.send.baseUrl, now: deps.now() });
      rendered += r.rendered;
      log.info('digest_rendered', { frequency, period: r.period, candidates: r.candidates, considered: r.considered, rendered: r.rendered, empty: r.empty, contents: r.contents, duration_ms: Date.now() - started });
    }
    if (rendered > 0) await deps.requestSend();
  };
}

/** The handler for `digest-send`: sends every due outbox row; stops between messages when the process stops. */
export function digestSendJob(deps: DigestJobDeps) {
  return async (_payload: object, run: { signal: AbortSignal }): Promise<void> => {
    const log = deps.log.child({ job: DIGEST_SEND_JOB });
    const started = Date.now();
    const s = await sendPendingDigests(deps.db, deps.mailer, { ...deps.send, log, now: deps.now, signal: run.signal, waitForRetriesMs: 0 });
    if (s.sent + s.bounced + s.failed + s.recovered > 0) log.info('digest_sent', { ...s, duration_ms: Date.now() - started });
  };
}

/**
 * Whether a scheduled render was missed while no process ran jobs: the schedule fired since the
 * last run of that frequency started. False before the first run ever, and when the cron is off.
 */
export async function digestIsDue(db: Db, frequency: Frequency, cron: string, now: Date): Promise<boolean> {
  if (cron === 'off') return false;
  const last = await db.selectFrom('digest_run').select((eb) => eb.fn.max('started_at').as('at')).where('frequency', '=', frequency).executeTakeFirst();
  if (!last?.at) return false;
  const [previous] = new Cron(cron, { timezone: 'UTC', paused: true }).previousRuns(1, now);
  return previous !== undefined && previous.toISOString() > last.at;
}
