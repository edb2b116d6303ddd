// The paperboy CLI: finds the subcommand (src/commands/<name>.ts), parses its options, builds config/logger/store, runs it.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { applyBudget, memoryPlanFor } from './lib/memory-budget.ts';
import type { Command, CommandContext, CommandWithModes, Mode } from './commands/command.ts';

const COMMANDS_DIR = fileURLToPath(new URL('./commands/', import.meta.url));

type AnyCommand = Command | CommandWithModes;

async function loadCommands(): Promise<AnyCommand[]> {
  const files = readdirSync(COMMANDS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'command.ts');
  const mods = await Promise.all(files.map((f) => import(pathToFileURL(join(COMMANDS_DIR, f)).href) as Promise<{ command?: AnyCommand }>));
  return mods.map((m) => m.command).filter((c): c is AnyCommand => c !== undefined).sort((a, b) => a.name.localeCompare(b.name));
}

function overview(commands: AnyCommand[]): string {
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
async function loadCommand(name: string): Promise<AnyCommand | undefined> {
  if (!/^[a-z][a-z-]*$/.test(name) || name === 'command') return undefined;
  const file = join(COMMANDS_DIR, `${name}.ts`);
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { command?: AnyCommand };
  return mod.command?.name === name ? mod.command : undefined;
}

/** The mode named by the first argument, or the exit code after printing help or an error. */
async function pickMode(command: CommandWithModes, args: string[]): Promise<{ mode: Mode; name: string; rest: string[] } | number> {
  const [name, ...rest] = args;
  const valid = Object.keys(command.modes).join(', ');
  if (name === '--help' || name === '-h') {
    process.stdout.write(command.help.trim() + '\n');
    return 0;
  }
  if (!name || name.startsWith('-')) {
    process.stderr.write(`paperboy ${command.name}: name a mode first: ${valid}.\nRun "paperboy ${command.name} --help" for what each does.\n`);
    return 2;
  }
  const entry = Object.hasOwn(command.modes, name) ? command.modes[name] : undefined;
  if (!entry) {
    process.stderr.write(`paperboy ${command.name}: unknown mode "${name}"; the modes are: ${valid}.\nRun "paperboy ${command.name} --help" for what each does.\n`);
    return 2;
  }
  return { mode: await entry.load(), name: `${command.name} ${name}`, rest };
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
  const found = await loadCommand(name);
  if (!found) {
    process.stderr.write(`paperboy: unknown command "${name}"\n\n${overview(await loadCommands())}\n`);
    return 2;
  }
  const picked = 'modes' in found ? await pickMode(found, rest) : { mode: found, name, rest };
  if (typeof picked === 'number') return picked;
  // `label` is what messages call the command: "import", or "bench http" for a mode.
  const { mode: command, name: label, rest: args } = picked;
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(command.help.trim() + '\n');
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`paperboy ${label}: ${(err as Error).message}\nRun "paperboy ${label} --help" for usage.\n`);
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
  // Before any store opens or cache fills: SQLite's page cache and every in-memory cache take their share.
  applyBudget(memoryPlanFor(config).main);
  const ctx: CommandContext = { config, log: createLogger(config.logLevel).child({ command: label }) };
  try {
    return await command.run(ctx, { values: parsed.values as Record<string, unknown>, positionals: parsed.positionals });
  } catch (err) {
    ctx.log.error('command_failed', { error: err });
    process.stderr.write(`paperboy ${label}: ${(err as Error).message}\n`);
    return 1;
  }
}
