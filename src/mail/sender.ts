// Sends the outbox from a running process: kicked after a request queues a mail, so links arrive in
// seconds, and woken again when the earliest retry is due. One sending run at a time per process;
// several processes share the outbox through its claims (outbox.ts).
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Mailer } from './mailer.ts';
import { sendQueuedMail, type MailSendOptions } from './outbox.ts';

/** A wake-up further away than this is left to the `mail-send` sweep (and keeps timers short). */
const MAX_WAIT_MS = 15 * 60_000;
/** After the store itself failed (locked, unreachable), look again this much later. */
const STORE_RETRY_MS = 30_000;

export class MailSender {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly mailer: Mailer,
    private readonly log: Logger,
    private readonly opts: Omit<MailSendOptions, 'log' | 'signal'> = {},
  ) {}

  /** Starts sending what is due, now or right after the run in progress. Never throws. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when the run in progress (and any it asked for) ends; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.idle();
  }

  private async run(): Promise<void> {
    let wakeInMs: number | undefined;
    try {
      const s = await sendQueuedMail(this.db, this.mailer, { ...this.opts, log: this.log });
      if (s.sent + s.retried + s.bounced + s.failed + s.expired > 0) this.log.info('mail_sent', { ...s });
      if (s.nextAttemptAt !== undefined) wakeInMs = Math.max(Date.parse(s.nextAttemptAt) - Date.now(), 50);
    } catch (err) {
      this.log.error('mail_send_failed', { error: err });
      wakeInMs = STORE_RETRY_MS;
    }
    if (wakeInMs === undefined || wakeInMs > MAX_WAIT_MS || this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wakeInMs);
    this.timer.unref();
  }
}
