// `paperboy bench MODE`: measured speed and memory. Each mode lives with its module; this only dispatches.
import type { Command } from './command.ts';

export const command: Command = {
  name: 'bench',
  summary: 'Measure throughput and memory (bench digest …)',
  help: `
Usage: paperboy bench digest [--subscribers N] [--concurrency C]

digest   Loads the shipped sample into a throwaway SQLite database, adds N confirmed subscribers
         (default 10000) with a spread of topic filters, renders the latest day's digest for all of
         them, and sends every message to an in-process loopback SMTP server with C connections
         (default 8). Prints digests/s, messages/s and peak memory. Touches nothing of yours.
`,
  options: {
    subscribers: { type: 'string' },
    concurrency: { type: 'string' },
  },
  async run(ctx, { values, positionals }) {
    const mode = positionals[0];
    if (mode !== 'digest') {
      process.stderr.write(`paperboy bench: ${mode ? `unknown mode "${mode}"` : 'name a mode'}; modes: digest\nRun "paperboy bench --help" for usage.\n`);
      return 2;
    }
    const subscribers = Number(values.subscribers ?? 10_000);
    const concurrency = Number(values.concurrency ?? 8);
    if (!Number.isInteger(subscribers) || subscribers < 1 || subscribers > 10_000_000) {
      process.stderr.write('paperboy bench: --subscribers must be a whole number from 1 to 10000000\n');
      return 2;
    }
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
      process.stderr.write('paperboy bench: --concurrency must be a whole number from 1 to 100\n');
      return 2;
    }
    const { runDigestBench } = await import('../digest/bench.ts');
    await runDigestBench({ subscribers, concurrency, log: ctx.log, write: (line) => process.stdout.write(line + '\n') });
    return 0;
  },
};
