// What a long-running process (serve, worker) sets up besides its own work: the instance secret,
// the mailer, semantic search and the job queue with every job registered. With `work` it also runs
// jobs and schedules; without, it only enqueues (a web process of a scaled-out instance).
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { instanceSecret } from '../store/settings.ts';
import { createMailer, MailSender, retryPendingMailNow, type Mailer } from '../mail/index.ts';
import type { SemanticSearch } from '../search/semantic.ts';
import type { JobQueue } from './queue.ts';
import { startJobQueue } from './start.ts';

export interface Background {
  jobs: JobQueue;
  secret: string;
  mailer: Mailer;
  /** Sends the transactional outbox; routes kick it after queuing a mail. */
  mail: MailSender;
  semantic: SemanticSearch | undefined;
  /** Stops taking jobs (running ones stop at a safe point), then closes the rest. */
  stop(): Promise<void>;
}

export async function startBackground(deps: { config: Config; log: Logger; db: Db }, opts: { work: boolean }): Promise<Background> {
  const { config, log, db } = deps;
  const secret = await instanceSecret(db, config.secret);
  const mailer = createMailer(config, log, { maxConnections: config.smtpMaxConnections });
  // Mail that waited for a retry when the last process stopped is tried again at once.
  const retried = await retryPendingMailNow(db, new Date());
  const mail = new MailSender(db, mailer, log.child({ module: 'mail' }));
  mail.kick();
  if (retried > 0) log.info('mail_outbox_resumed', { pending: retried });
  // Loads (or downloads) the embedding model in the background; search is keyword-only until then.
  // Every process can answer searches; only processes that run jobs embed papers.
  const { createSemanticSearch } = await import('../search/semantic.ts');
  const semantic = await createSemanticSearch({ db, config, log: log.child({ module: 'semantic' }) });
  const jobs = await startJobQueue({ config, log, db, now: () => new Date(), secret, mailer, semantic }, { work: opts.work });
  return {
    jobs, secret, mailer, mail, semantic,
    async stop() {
      await jobs.stop();
      await mail.close();
      await semantic?.close();
      await mailer.close();
    },
  };
}
