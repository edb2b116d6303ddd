// The shape of a subcommand. Each file in this folder exports `command`; main.ts finds them.
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';

export interface CommandContext {
  config: Config;
  log: Logger;
}

export interface CommandArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** Full --help text. */
  help: string;
  options?: ParseArgsConfig['options'];
  run(ctx: CommandContext, args: CommandArgs): Promise<number>;
}

/**
 * A command whose first argument picks a mode (`paperboy bench http`). main.ts runs the chosen mode
 * like a command of its own (its help, options and run); a mode's module is loaded only when chosen,
 * so the table carries the one-line summaries that `--help` lists.
 */
export interface CommandWithModes {
  name: string;
  summary: string;
  /** Full --help text: lists the modes. */
  help: string;
  modes: Record<string, { summary: string; load(): Promise<Mode> }>;
}

/** One mode of a CommandWithModes; its summary is in the parent's table. */
export type Mode = Omit<Command, 'name' | 'summary'>;

/** Opens the configured store with migrations applied; the caller closes it. */
export async function openMigratedStore(ctx: CommandContext): Promise<Store> {
  const store = await openStore(ctx.config);
  try {
    const { applied } = await migrateToLatest(store.db);
    if (applied.length > 0) ctx.log.info('migrations_applied', { migrations: applied });
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
