// The `github-stars` job: stars and last push of the GitHub repositories papers link to as their code
// (each paper's first code link), newest papers first; each repository is asked at most every
// GITHUB_REFRESH_HOURS, with its ETag, so an unchanged one costs nothing against the rate limit.
// Anonymous: at most 50 a run (GitHub allows 60 an hour); with GITHUB_TOKEN, 1,000. When GitHub
// says the limit is spent, the job stops and no run asks again before the reset. Hourly at :41,
// after a harvest, and once by `paperboy stars`.
import { sql } from 'kysely';
import type { AroundConfig } from '../config-around.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { getSetting, setSetting } from '../store/settings.ts';
import { createGithubClient, githubFullName } from './github-client.ts';

export const STARS_JOB = 'github-stars';
export const STARS_CRON = '41 * * * *';
const RATE_LIMIT_KEY = 'github_rate_limited_until';
/** After a failed request the repository waits this long before it is asked again. */
const RETRY_AFTER_FAILURE_MS = 3_600_000;

export interface StarsJobDeps {
  db: Db;
  around: AroundConfig;
  log: Logger;
  now: () => Date;
  retryBaseMs?: number;
}

export interface StarsCounts {
  fetched: number;
  unchanged: number;
  missing: number;
  failed: number;
  rateLimitedUntil: string | undefined;
}

/** Code links on GitHub due a (re)fetch: never fetched, stale, or a failure whose wait is over. */
async function dueRepos(db: Db, now: Date, refreshHours: number, limit: number) {
  const stale = new Date(now.getTime() - refreshHours * 3_600_000).toISOString();
  const nowIso = now.toISOString();
  return db
    .selectFrom('paper_link as l')
    .innerJoin('paper as p', 'p.id', 'l.paper_id')
    .leftJoin('code_repo as r', 'r.url', 'l.url')
    .select(['l.url', 'r.etag', (eb) => eb.fn.max('p.announced_on').as('latest')])
    .where('l.kind', '=', 'code')
    .where('l.url', 'like', 'https://github.com/%')
    .where('l.position', '=', (eb) => eb.selectFrom('paper_link as l2').select((e) => e.fn.min('l2.position').as('m')).whereRef('l2.paper_id', '=', 'l.paper_id').where('l2.kind', '=', 'code'))
    .where((eb) => eb.or([eb('r.url', 'is', null), eb.and([eb('r.retry_at', 'is', null), eb('r.fetched_at', '<', stale)]), eb('r.retry_at', '<=', nowIso)]))
    .groupBy(['l.url', 'r.etag'])
    .orderBy(sql`max(p.announced_on)`, 'desc')
    .orderBy('l.url')
    .limit(limit)
    .execute();
}

async function saveRepo(db: Db, url: string, values: { full_name: string; status: string; stars?: number | null; pushed_at?: string | null; etag?: string | null; error?: string | null; retry_at?: string | null }, stamp: string): Promise<void> {
  const row = { url, fetched_at: stamp, stars: null, pushed_at: null, etag: null, error: null, retry_at: null, ...values };
  await db.insertInto('code_repo').values(row).onConflict((oc) => oc.column('url').doUpdateSet({ ...row, url: undefined })).execute();
}

export async function refreshStars(deps: StarsJobDeps, signal?: AbortSignal, onProgress?: (done: number) => void): Promise<StarsCounts> {
  const { db, around, log } = deps;
  const counts: StarsCounts = { fetched: 0, unchanged: 0, missing: 0, failed: 0, rateLimitedUntil: undefined };
  if (!around.githubStars) return counts;
  const limitedUntil = await getSetting(db, RATE_LIMIT_KEY);
  if (limitedUntil && limitedUntil > deps.now().toISOString()) return { ...counts, rateLimitedUntil: limitedUntil };
  const getRepo = createGithubClient({ apiUrl: around.githubApiUrl, token: around.githubToken, now: deps.now, ...(deps.retryBaseMs !== undefined ? { retryBaseMs: deps.retryBaseMs } : {}) });
  const due = await dueRepos(db, deps.now(), around.githubRefreshHours, around.githubToken ? 1000 : 50);
  for (const repo of due) {
    if (signal?.aborted) break;
    const fullName = githubFullName(repo.url);
    const stamp = deps.now().toISOString();
    if (!fullName) {
      await saveRepo(db, repo.url, { full_name: repo.url, status: 'missing', error: 'not a github.com/owner/name URL' }, stamp);
      counts.missing++;
      continue;
    }
    const answer = await getRepo(fullName, repo.etag ?? null);
    if (answer.kind === 'rate_limited') {
      counts.rateLimitedUntil = answer.until.toISOString();
      await setSetting(db, RATE_LIMIT_KEY, counts.rateLimitedUntil);
      log.warn('github_rate_limited', { until: counts.rateLimitedUntil, token: !!around.githubToken, hint: around.githubToken ? undefined : 'set GITHUB_TOKEN for 5,000 requests an hour' });
      break;
    }
    if (answer.kind === 'ok') {
      await saveRepo(db, repo.url, { full_name: answer.repo.fullName, status: 'ok', stars: answer.repo.stars, pushed_at: answer.repo.pushedAt, etag: answer.repo.etag }, stamp);
      counts.fetched++;
    } else if (answer.kind === 'not_modified') {
      await db.updateTable('code_repo').set({ fetched_at: stamp, retry_at: null, error: null }).where('url', '=', repo.url).execute();
      counts.unchanged++;
    } else if (answer.kind === 'missing') {
      await saveRepo(db, repo.url, { full_name: fullName, status: 'missing', error: `HTTP ${answer.status}` }, stamp);
      counts.missing++;
    } else {
      // Keep what an earlier fetch found; only mark when to try again.
      const retryAt = new Date(deps.now().getTime() + RETRY_AFTER_FAILURE_MS).toISOString();
      const updated = await db.updateTable('code_repo').set({ error: answer.error.slice(0, 500), retry_at: retryAt }).where('url', '=', repo.url).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await saveRepo(db, repo.url, { full_name: fullName, status: 'failed', error: answer.error.slice(0, 500), retry_at: retryAt }, stamp);
      counts.failed++;
      log.warn('github_repo_failed', { repo: fullName, error: answer.error, retry_at: retryAt });
    }
    onProgress?.(counts.fetched + counts.unchanged + counts.missing + counts.failed);
  }
  if (counts.fetched + counts.unchanged + counts.missing + counts.failed > 0) log.info('github_stars_done', { ...counts });
  return counts;
}

