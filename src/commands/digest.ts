// `paperboy digest`: render and send a period's digests from the command line (for cron and tests).
import { createMailer } from '../mail/index.ts';
import { createProgress } from '../lib/progress.ts';
import { parseDay } from '../papers/index.ts';
import { instanceSecret } from '../store/settings.ts';
import { digestPeriod, runDigest, sendPendingDigests, unsubscribeByEmail, type Frequency } from '../digest/index.ts';
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'digest',
  summary: 'Render and send email digests; unsubscribe an address',
  help: `
Usage: paperboy digest send --frequency daily|weekly [--date YYYY-MM-DD] [--dry-run] [--concurrency N]
       paperboy digest resume
       paperboy digest unsubscribe EMAIL

send         Renders the period's digest for every confirmed subscriber into the outbox (once per
             subscriber and period), then sends everything pending. daily covers --date, or the latest
             day with papers; weekly covers the ISO week containing --date, or the last complete week.
             Re-running for the same period sends nothing new; after a crash it resumes where it stopped.
             --dry-run renders nothing and sends nothing: it prints how many digests would go out.
resume       Sends what the outbox still holds (retries, rows a crashed run left), renders nothing.
unsubscribe  Stops all digests to EMAIL (for unsubscribe requests that arrive by mail).

Mail goes through SMTP_URL (SMTP_MAX_CONNECTIONS in parallel), or to DATA_DIR/outbox as .eml files.
Exit status: 0 when nothing failed, 1 when a message failed permanently or ran out of retries.
`,
  options: {
    frequency: { type: 'string' },
    date: { type: 'string' },
    'dry-run': { type: 'boolean' },
    concurrency: { type: 'string' },
  },
  async run(ctx, { values, positionals }) {
    const [action, ...rest] = positionals;
    const usage = (msg: string) => {
      process.stderr.write(`paperboy digest: ${msg}\nRun "paperboy digest --help" for usage.\n`);
      return 2;
    };
    if (action !== 'send' && action !== 'unsubscribe' && action !== 'resume') return usage(action ? `unknown action "${action}"` : 'name an action: send, resume or unsubscribe');
    if (action === 'unsubscribe') {
      if (rest.length !== 1) return usage('unsubscribe takes one EMAIL');
      const store = await openMigratedStore(ctx);
      try {
        const found = await unsubscribeByEmail(store.db, rest[0]!, new Date());
        process.stdout.write(found ? `${rest[0]} is unsubscribed\n` : `${rest[0]} has no subscription\n`);
        return 0;
      } finally {
        await store.close();
      }
    }
    const frequency = values.frequency as string | undefined;
    if (action === 'send' && frequency !== 'daily' && frequency !== 'weekly') return usage('--frequency must be daily or weekly');
    const date = values.date as string | undefined;
    if (date !== undefined && !parseDay(date)) return usage(`--date must be a calendar day YYYY-MM-DD, got "${date}"`);
    const concurrency = values.concurrency === undefined ? ctx.config.smtpMaxConnections : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) return usage('--concurrency must be a whole number from 1 to 100');

    const store = await openMigratedStore(ctx);
    const mailer = values['dry-run'] ? undefined : createMailer(ctx.config, ctx.log, { maxConnections: concurrency });
    try {
      const secret = await instanceSecret(store.db, ctx.config.secret);
      const progress = createProgress('sending digests');
      const common = {
        secret, baseUrl: ctx.config.baseUrl, mailFrom: ctx.config.mailFrom, log: ctx.log, concurrency,
        onProgress: (s: { sent: number }) => progress.update(s.sent),
      };
      const started = Date.now();
      if (action === 'resume') {
        const s = await sendPendingDigests(store.db, mailer!, common);
        progress.done();
        process.stdout.write(sendLine(s, Date.now() - started) + '\n');
        return s.failed + s.bounced > 0 ? 1 : 0;
      }
      const period = await digestPeriod(store.db, frequency as Frequency, date, new Date());
      if (!period) {
        process.stdout.write('no papers yet: nothing to send\n');
        return 0;
      }
      const { render, send } = await runDigest(store.db, mailer, {
        ...common, frequency: frequency as Frequency, period, dryRun: values['dry-run'] === true,
        onRendered: (r) => process.stdout.write(`${frequency} digest for ${r.period}: ${r.candidates} papers in the period; ${r.considered} subscribers without it yet, ${r.rendered} ${values['dry-run'] ? 'would get one' : 'rendered'}, ${r.empty} with nothing new; ${r.contents} distinct bodies\n`),
      });
      progress.done();
      if (render.candidates === 0) process.stdout.write(`no papers announced in ${period.key}: nothing sent\n`);
      if (!send) return 0;
      process.stdout.write(sendLine(send, Date.now() - started) + '\n');
      return send.failed + send.bounced > 0 ? 1 : 0;
    } finally {
      await mailer?.close();
      await store.close();
    }
  },
};

function sendLine(s: { sent: number; retried: number; bounced: number; failed: number; cancelled: number; suspended: number; recovered: number; ambiguous: number; waiting: number }, ms: number): string {
  const rate = s.sent / Math.max(ms / 1000, 0.001);
  return `sent ${s.sent}, bounced ${s.bounced}, failed ${s.failed}, retries scheduled ${s.retried}, still waiting ${s.waiting}, cancelled ${s.cancelled}, suspended ${s.suspended}, recovered ${s.recovered} (${s.ambiguous} resent with their original Message-ID) in ${(ms / 1000).toFixed(1)}s (${Math.round(rate).toLocaleString('en-US')} messages/s)`;
}
