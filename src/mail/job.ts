// The `mail-send` job: a sweep of the transactional outbox every minute in processes that run jobs,
// for retries and for mail a dead process left behind. Requests are sent at once by MailSender; this
// is the safety net. Also run once by `paperboy worker`/`serve` on start (catch-up).
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Mailer } from './mailer.ts';
import { sendQueuedMail } from './outbox.ts';

export const MAIL_SEND_JOB = 'mail-send';
export const MAIL_SWEEP_CRON = '* * * * *';

export function mailSendJob(deps: { db: Db; mailer: Mailer; log: Logger; now: () => Date }) {
  return async (_payload: object, run: { signal: AbortSignal }): Promise<void> => {
    const log = deps.log.child({ job: MAIL_SEND_JOB });
    const started = Date.now();
    const s = await sendQueuedMail(deps.db, deps.mailer, { log, now: deps.now, signal: run.signal });
    if (s.sent + s.retried + s.bounced + s.failed + s.expired + s.recovered > 0) log.info('mail_sent', { ...s, duration_ms: Date.now() - started });
  };
}
