// One digest run: pick the period, render it into the outbox, send what the outbox holds.
// `paperboy digest send` calls runDigest; the digest jobs (jobs.ts) run the same two steps as separate jobs.
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Mailer } from '../mail/index.ts';
import { addDays, isoDay, latestAnnouncedOn, periodContaining, type Period } from '../papers/index.ts';
import type { Frequency } from './preferences.ts';
import { renderDigests, type RenderSummary } from './render-period.ts';
import { sendPendingDigests, type SendOptions, type SendSummary } from './send.ts';

/**
 * The period a run covers. daily: the given day, else the latest day with papers.
 * weekly: the ISO week containing the given day, else the last complete ISO week.
 */
export async function digestPeriod(db: Db, frequency: Frequency, date: string | undefined, now: Date): Promise<Period | undefined> {
  if (frequency === 'daily') {
    const day = date ?? (await latestAnnouncedOn(db));
    return day ? periodContaining('day', day) : undefined;
  }
  return periodContaining('week', date ?? addDays(isoDay(now), -7));
}

export interface RunOptions extends SendOptions {
  frequency: Frequency;
  period: Period;
  dryRun?: boolean;
  onRendered?: (r: RenderSummary) => void;
}

export interface RunSummary {
  render: RenderSummary;
  send: SendSummary | undefined;
}

export async function runDigest(db: Db, mailer: Mailer | undefined, opts: RunOptions): Promise<RunSummary> {
  const now = opts.now ?? (() => new Date());
  const started = Date.now();
  const render = await renderDigests(db, { frequency: opts.frequency, period: opts.period, baseUrl: opts.baseUrl, now: now(), dryRun: opts.dryRun });
  opts.onRendered?.(render);
  opts.log.info('digest_rendered', { frequency: opts.frequency, period: render.period, candidates: render.candidates, considered: render.considered, rendered: render.rendered, empty: render.empty, contents: render.contents, dry_run: !!opts.dryRun, duration_ms: Date.now() - started });
  if (opts.dryRun || !mailer) return { render, send: undefined };
  const send = await sendPendingDigests(db, mailer, opts);
  opts.log.info('digest_sent', { frequency: opts.frequency, period: render.period, ...send, duration_ms: Date.now() - started });
  return { render, send };
}
