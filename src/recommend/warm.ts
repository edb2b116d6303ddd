// Keeps the default "For you" window (the last DEFAULT_WINDOW_DAYS days) built ahead of readers, in
// every process that serves pages: once at start, then whenever a check finds a new day or changed
// papers, so that no reader waits for a window to be analysed. Runs on a timer of its own; `serve`
// starts it.
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { recommendationRange } from './recommend.ts';
import { loadWindow, WINDOW_CHECK_MS, type Window } from './window.ts';

export interface WindowWarmer {
  /** Resolves after the first window is built (or found to be impossible: an empty store). */
  ready: Promise<void>;
  stop(): void;
}

export function startWindowWarmer(db: Db, log: Logger, opts: { intervalMs?: number } = {}): WindowWarmer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let last: Window | undefined;
  const warm = async () => {
    const range = await recommendationRange(db, {});
    if (!range || stopped) return;
    const started = performance.now();
    const window = await loadWindow(db, range.since, range.until, { fresh: true });
    if (window === last) return;
    last = window;
    log.info('recommend_window_built', { since: window.start, until: window.end, papers: window.papers.length, duration_ms: Math.round(performance.now() - started) });
  };
  const loop = async () => {
    try {
      await warm();
    } catch (err) {
      if (!stopped) log.warn('recommend_window_failed', { error: (err as Error).message });
    }
    if (!stopped) timer = setTimeout(() => void loop(), opts.intervalMs ?? WINDOW_CHECK_MS).unref();
  };
  const ready = loop();
  return {
    ready,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
