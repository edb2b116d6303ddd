// `paperboy bench pages`: page weight and server time of the web pages (the measuring is in src/web/bench.ts).
import { BENCH_PAGES_HELP, benchPages } from '../../web/bench.ts';
import type { Mode } from '../command.ts';

export const mode: Mode = {
  help: BENCH_PAGES_HELP,
  options: {
    data: { type: 'string' },
    configured: { type: 'boolean' },
    requests: { type: 'string' },
    'search-query': { type: 'string' },
  },
  run: benchPages,
};
