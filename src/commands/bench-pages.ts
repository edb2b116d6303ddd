// `paperboy bench-pages`: page weight and server time of the web pages (see src/web/bench.ts).
import { BENCH_PAGES_HELP, benchPages } from '../web/bench.ts';
import type { Command } from './command.ts';

export const command: Command = {
  name: 'bench-pages',
  summary: 'Measure page weight (compressed HTML+CSS+JS) and server time p95 of the trending pages',
  help: BENCH_PAGES_HELP,
  options: {
    data: { type: 'string' },
    configured: { type: 'boolean' },
    requests: { type: 'string' },
    'search-query': { type: 'string' },
  },
  run: benchPages,
};
