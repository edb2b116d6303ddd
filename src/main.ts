// The paperboy CLI: finds the subcommand (src/commands/<name>.ts), parses its options, builds config/logger/store, runs it.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import type { Command, CommandContext } from './commands/command.ts';

const COMMANDS_DIR = fileURLToPath(new URL('./commands/', import.meta.url));

async function loadCommands(): Promise<Command[]> {
  const files = readdirSync(COMMANDS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'command.ts');
  const mods = await Promise.all(files.map((f) => import(pathToFileURL(join(COMMANDS_DIR, f)).href) as Promise<{ command?: Command }>));
  return mods.map((m) => m.command).filter((c): c is Command => c !== undefined).sort((a, b) => a.name.localeCompare(b.name));
}

function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'paperboy — trending arXiv papers for a research community',
    '',
    'Usage: paperboy <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "paperboy <command> --help" for a command\'s options. Configuration comes from the environment;',
    '"paperboy config" prints it.',
  ].join('\n');
}

/** One command by name: its file is src/commands/<name>.ts, so only that module is loaded. */
async function loadCommand(name: string): Promise<Command | undefined> {
  if (!/^[a-z][a-z-]*$/.test(name) || name === 'command') return undefined;
  const file = join(COMMANDS_DIR, `${name}.ts`);
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { command?: Command };
  return mod.command?.name === name ? mod.command : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview(await loadCommands()) + '\n');
    return name ? 0 : 1;
  }
  if (name === '--version') {
    process.stdout.write('paperboy 0.1.0\n');
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    process.stderr.write(`paperboy: unknown command "${name}"\n\n${overview(await loadCommands())}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help.trim() + '\n');
    return 0;
  }
  let args;
  try {
    args = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`paperboy ${name}: ${(err as Error).message}\nRun "paperboy ${name} --help" for usage.\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`paperboy: ${err.message}\n`);
      return 78;
    }
    throw err;
  }
  const ctx: CommandContext = { config, log: createLogger(config.logLevel).child({ command: name }) };
  try {
    return await command.run(ctx, { values: args.values as Record<string, unknown>, positionals: args.positionals });
  } catch (err) {
    ctx.log.error('command_failed', { error: err });
    process.stderr.write(`paperboy ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}
