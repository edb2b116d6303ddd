import { describeConfig } from '../config-describe.ts';
import type { Command } from './command.ts';

export const command: Command = {
  name: 'config',
  summary: 'Print the effective configuration (secrets masked)',
  help: `
Usage: paperboy config

Prints every setting paperboy reads from the environment with its effective value.
Secrets (SMTP_URL password, DATABASE_URL password, PAPERBOY_SECRET, API keys) are masked.
Invalid variables are all reported at once and the command exits with status 78.
`,
  async run(ctx) {
    const rows = describeConfig(ctx.config);
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    return 0;
  },
};
