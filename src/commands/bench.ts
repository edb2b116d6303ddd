// `paperboy bench NAME`: measurements reported honestly (speed, size, memory), never timed tests.
// Each benchmark is a file in src/bench/; add it to BENCHES below.
import type { Bench } from '../bench/bench.ts';
import { pagesBench } from '../bench/pages.ts';
import type { Command } from './command.ts';

const BENCHES: Bench[] = [pagesBench];

export const command: Command = {
  name: 'bench',
  summary: 'Run a benchmark: ' + BENCHES.map((b) => b.name).join(', '),
  help: `
Usage: paperboy bench NAME [options]

Benchmarks:
${BENCHES.map((b) => `  ${b.name.padEnd(10)} ${b.summary}`).join('\n')}

${BENCHES.map((b) => `--- ${b.name} ---\n${b.help.trim()}`).join('\n\n')}
`,
  options: Object.assign({}, ...BENCHES.map((b) => b.options ?? {})),
  async run(ctx, args) {
    const [name, ...rest] = args.positionals;
    const bench = BENCHES.find((b) => b.name === name);
    if (!bench) {
      process.stderr.write(`paperboy bench: ${name ? `unknown benchmark "${name}"` : 'name a benchmark'}; one of: ${BENCHES.map((b) => b.name).join(', ')}\n`);
      return 2;
    }
    const foreign = Object.keys(args.values).filter((k) => !(k in (bench.options ?? {})));
    if (foreign.length > 0) {
      process.stderr.write(`paperboy bench ${bench.name}: unknown option ${foreign.map((o) => `--${o}`).join(', ')}\n${bench.help.trim()}\n`);
      return 2;
    }
    return bench.run(ctx, { values: args.values, positionals: rest });
  },
};
