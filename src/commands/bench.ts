// `paperboy bench <mode>`: measurements printed as figures, never timed tests. Each mode is a module
// in src/bench/ with its own --help and options, loaded only when chosen, so nothing the product
// runs imports measurement code or its devDependencies.
import type { CommandWithModes, Mode } from './command.ts';

const load = (file: string) => async () => ((await import(`../bench/${file}.ts`)) as { mode: Mode }).mode;

const modes: CommandWithModes['modes'] = {
  search: { summary: 'search relevance (nDCG@10, Recall@100, MRR@10) and latency on a BEIR folder', load: load('search') },
  'search-latency': { summary: 'search latency over HTTP on the store\'s papers (--cpu: CPU time per query)', load: load('search-latency') },
  recommend: { summary: 'recommendation quality (nDCG@20, recall@50) and latency on an authors dataset', load: load('recommend') },
  generate: { summary: 'add N synthetic papers to the store for scale benches', load: load('generate') },
  harvest: { summary: 'harvest throughput against a loopback OAI-PMH server (no network)', load: load('harvest') },
  trending: { summary: 'trending list latency and vote writes on a corpus (scratch database)', load: load('trending') },
  api: { summary: 'JSON API and feed latency, and export throughput, on the configured database', load: load('api') },
  pages: { summary: 'page weight (compressed HTML+CSS+JS) and server time p95 of the listings', load: load('pages') },
  http: { summary: 'page req/s and p95 on loopback: SQLite vs web processes + worker on PostgreSQL', load: load('http') },
  soak: { summary: 'minutes of mixed traffic with votes, a harvest and a digest send: errors, p99, RSS, lost writes', load: load('soak') },
  digest: { summary: 'render and send N digests to a loopback SMTP server: messages/s, peak memory', load: load('digest') },
  around: { summary: 'key phrases, thumbnails (pdftoppm) and GitHub stars on loopback servers: papers/s and CPU per paper, both databases', load: load('around') },
};

const width = Math.max(...Object.keys(modes).map((m) => m.length));

export const command: CommandWithModes = {
  name: 'bench',
  summary: 'Measure quality, speed and memory: search, harvest, trending, API, pages, HTTP, digest, around-the-paper jobs',
  help: `
Usage: paperboy bench <mode> [options]

Measures and prints figures (see "Performance" sections of the README). Modes:

${Object.entries(modes).map(([name, m]) => `  ${name.padEnd(width)}  ${m.summary}`).join('\n')}

Run "paperboy bench <mode> --help" for a mode's options.
`,
  modes,
};
