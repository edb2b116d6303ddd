// `paperboy bench digest`: digest render and send rate on a throwaway store (the measuring is in src/digest/bench.ts).
import { runDigestBench } from '../../digest/bench.ts';
import type { Mode } from '../command.ts';

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
