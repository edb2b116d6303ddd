// The shape of a benchmark run by `paperboy bench NAME`. Benchmarks measure; tests assert.
import type { ParseArgsConfig } from 'node:util';
import type { CommandArgs, CommandContext } from '../commands/command.ts';

export type BenchContext = CommandContext;

export interface Bench {
  name: string;
  summary: string;
  /** Full --help text of `paperboy bench NAME --help`. */
  help: string;
  options?: ParseArgsConfig['options'];
  run(ctx: BenchContext, args: CommandArgs): Promise<number>;
}
