// serve's in-process digest scheduler: the daily and weekly runs at their cron times (UTC), and a sweep
// every few minutes that sends retries and anything a crashed run left behind. Runs never overlap.
import { Cron } from 'croner';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Mailer } from '../mail/index.ts';
import { addDays, isoDay, periodContaining } from '../papers/index.ts';
import type { Frequency } from './preferences.ts';
import { digestPeriod, runDigest } from './run.ts';
import { sendPendingDigests, type SendOptions } from './send.ts';

export interface SchedulerOptions extends Omit<SendOptions, 'signal'> {
  dailyCron: string;
  weeklyCron: string;
  sweepCron?: string;
}

export class DigestScheduler {
  private jobs: Cron[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(
    private readonly db: Db,
    private readonly mailer: Mailer,
    private readonly opts: SchedulerOptions,
  ) {}

  start(): void {
    const { dailyCron, weeklyCron } = this.opts;
    if (dailyCron !== 'off') this.jobs.push(new Cron(dailyCron, { timezone: 'UTC', protect: true }, () => this.enqueue(() => this.runDaily())));
    if (weeklyCron !== 'off') this.jobs.push(new Cron(weeklyCron, { timezone: 'UTC', protect: true }, () => this.enqueue(() => this.runFrequency('weekly'))));
    if (dailyCron !== 'off' || weeklyCron !== 'off') {
      this.jobs.push(new Cron(this.opts.sweepCron ?? '*/5 * * * *', { timezone: 'UTC', protect: true }, () => this.enqueue(() => this.sweep())));
    }
    this.opts.log.info('digest_scheduler_started', { daily: dailyCron, weekly: weeklyCron, next_daily: this.jobs[0]?.nextRun()?.toISOString() });
  }

  /** Stops the timers and waits for a run in progress to finish its in-flight messages. */
  async stop(): Promise<void> {
    for (const j of this.jobs) j.stop();
    this.abort.abort();
    await this.running;
  }

  private enqueue(task: () => Promise<unknown>): Promise<void> {
    this.running = this.running.then(task).catch((error: unknown) => this.opts.log.error('digest_run_failed', { error }));
    return this.running.then(() => undefined);
  }

  private sendOptions(): SendOptions {
    return { ...this.opts, signal: this.abort.signal };
  }

  /** The latest day with papers, plus any of the two days before it that were never digested (a late harvest). */
  private async runDaily(): Promise<void> {
    const now = (this.opts.now ?? (() => new Date()))();
    const latest = await digestPeriod(this.db, 'daily', undefined, now);
    if (!latest) return;
    const days = [addDays(latest.start, -2), addDays(latest.start, -1), latest.start].filter((d) => d <= isoDay(now));
    const done = await this.db.selectFrom('digest_run').select('period_key').where('frequency', '=', 'daily').where('period_key', 'in', days).where('rendered_at', 'is not', null).execute();
    const doneKeys = new Set(done.map((r) => r.period_key));
    for (const day of days) {
      if (day !== latest.start && doneKeys.has(day)) continue;
      await runDigest(this.db, this.mailer, { ...this.sendOptions(), frequency: 'daily', period: periodContaining('day', day) });
    }
  }

  private async runFrequency(frequency: Frequency): Promise<void> {
    const now = (this.opts.now ?? (() => new Date()))();
    const period = await digestPeriod(this.db, frequency, undefined, now);
    if (period) await runDigest(this.db, this.mailer, { ...this.sendOptions(), frequency, period });
  }

  private async sweep(): Promise<void> {
    const s = await sendPendingDigests(this.db, this.mailer, { ...this.sendOptions(), waitForRetriesMs: 0 });
    if (s.sent + s.bounced + s.failed + s.recovered > 0) this.opts.log.info('digest_sweep', { ...s });
  }
}
