// Long CPU work inside a serving process (a backfill, counting the store's words, building the
// "For you" window) shares one event loop with every request, and SQLite answers synchronously, so
// nothing else runs until the work lets it. Counting papers between turns makes a turn's length
// depend on the papers; a time budget bounds how long a request waits behind the work.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** CPU time spent before giving the event loop a turn: about what a cached page costs to serve. */
export const TURN_MS = 8;

/**
 * A check to call between small steps of long work: it resolves at once while the budget lasts,
 * else after one turn of the event loop (requests, timers and I/O run meanwhile).
 */
export function turnTaker(budgetMs = TURN_MS): () => Promise<void> {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < budgetMs) return;
    await nextTurn();
    started = performance.now();
  };
}

/**
 * Long pure work is written as a generator that yields between small steps (a paper, a slice of a
 * merge), so one definition serves both a caller that wants the answer now (`finish`) and a serving
 * process that must keep answering requests meanwhile (`inTurns`).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to their end at once. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the steps, giving the event loop a turn whenever the time budget is spent. */
export async function inTurns<T>(steps: Steps<T>, budgetMs = TURN_MS): Promise<T> {
  let started = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - started >= budgetMs) {
      await nextTurn();
      started = performance.now();
    }
  }
}
