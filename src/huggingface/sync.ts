// The `hf-sync` job (off by default: HF_SYNC_CRON): pulls Hugging Face's daily papers for each of
// the last HF_SYNC_DAYS days from HF_DAILY_PAPERS_URL and records, for the papers this instance has,
// HF's upvotes (apart from local votes, which it never touches), comment counts, submitters, GitHub
// links and hidden authors — so a fresh instance's trending means something from day one. Papers
// the instance does not have are skipped, not imported. `paperboy hf-sync` runs it once.
import type { AroundConfig } from '../config-around.ts';
import type { Logger } from '../log.ts';
import { addDays, isoDay } from '../papers/index.ts';
import type { Db } from '../store/db.ts';
import { hfFactsOf, recordHfFacts } from './facts.ts';

export const HF_SYNC_JOB = 'hf-sync';

export interface HfSyncDeps {
  db: Db;
  around: AroundConfig;
  log: Logger;
  now: () => Date;
  retryBaseMs?: number;
}

export interface HfSyncCounts {
  days: number;
  items: number;
  recorded: number;
  skipped: number;
  failedDays: string[];
}

/** One day's list; retried on 429/5xx/network errors (Retry-After honoured, capped at a minute). */
async function fetchDay(url: string, day: string, retryBaseMs: number, signal?: AbortSignal): Promise<unknown[]> {
  const target = `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams({ date: day, limit: '100' })}`;
  let problem = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2)));
    let res: Response;
    try {
      const timeout = AbortSignal.timeout(30_000);
      res = await fetch(target, { headers: { accept: 'application/json', 'user-agent': 'paperboy (self-hosted arXiv reader)' }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      if (signal?.aborted) throw err;
      problem = (err as Error).message;
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      problem = `HTTP ${res.status}`;
      const ra = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      if (Number.isFinite(ra) && ra > 0) await new Promise((r) => setTimeout(r, Math.min(ra, 60) * 1000));
      continue;
    }
    if (res.status !== 200) throw new Error(`${target} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`${target} did not answer a JSON array`);
    return body;
  }
  throw new Error(`${target} failed 3 times: ${problem}`);
}

export async function syncHfDailyPapers(deps: HfSyncDeps, signal?: AbortSignal): Promise<HfSyncCounts> {
  const counts: HfSyncCounts = { days: 0, items: 0, recorded: 0, skipped: 0, failedDays: [] };
  const today = isoDay(deps.now());
  for (let i = deps.around.hfSyncDays - 1; i >= 0; i--) {
    if (signal?.aborted) break;
    const day = addDays(today, -i);
    let items: unknown[];
    try {
      items = await fetchDay(deps.around.hfDailyPapersUrl, day, deps.retryBaseMs ?? 2_000, signal);
    } catch (err) {
      if (signal?.aborted) break;
      counts.failedDays.push(day);
      deps.log.warn('hf_sync_day_failed', { day, error: (err as Error).message });
      continue;
    }
    const facts = items.map(hfFactsOf).filter((f) => f !== undefined);
    const recorded = await deps.db.transaction().execute((tx) => recordHfFacts(tx, facts, deps.now()));
    counts.days++;
    counts.items += items.length;
    counts.recorded += recorded;
    counts.skipped += items.length - recorded;
  }
  deps.log.info('hf_sync_done', { days: counts.days, items: counts.items, recorded: counts.recorded, skipped: counts.skipped, failed_days: counts.failedDays });
  return counts;
}

export function hfSyncJob(deps: HfSyncDeps) {
  return async (_payload: object, run: { signal: AbortSignal }): Promise<void> => {
    const r = await syncHfDailyPapers(deps, run.signal);
    if (r.days === 0 && r.failedDays.length > 0) throw new Error(`hf-sync: every day failed (${r.failedDays.join(', ')})`);
  };
}
