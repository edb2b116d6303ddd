// GitHub's REST API for one repository's stars and last push. Anonymous requests get 60 an hour,
// a GITHUB_TOKEN 5,000: every answer's X-RateLimit-Remaining/-Reset is read, and at zero (or a
// secondary limit's Retry-After) the caller is told to stop until the reset. Conditional requests
// (If-None-Match with the stored ETag) answer 304 for an unchanged repository, which GitHub does not
// count against the limit. 5xx and network errors are retried twice with jittered backoff.

export interface RepoFacts {
  fullName: string;
  stars: number;
  pushedAt: string | null;
  etag: string | null;
}

export type RepoAnswer =
  | { kind: 'ok'; repo: RepoFacts }
  | { kind: 'not_modified' }
  | { kind: 'missing'; status: number }
  | { kind: 'rate_limited'; until: Date }
  | { kind: 'failed'; error: string };

export interface GithubClientOptions {
  apiUrl: string;
  token?: string | undefined;
  timeoutMs?: number;
  retryBaseMs?: number;
  now?: () => Date;
}

/** owner/name of a GitHub repository URL as links.ts stores it, or undefined for other hosts. */
export function githubFullName(url: string): string | undefined {
  const m = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export function createGithubClient(opts: GithubClientOptions) {
  const now = opts.now ?? (() => new Date());
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const base = opts.retryBaseMs ?? 1_000;
  return async function getRepo(fullName: string, etag: string | null): Promise<RepoAnswer> {
    let problem = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2)));
      let res: Response;
      try {
        res = await fetch(`${opts.apiUrl}/repos/${fullName}`, {
          headers: {
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28',
            'user-agent': 'paperboy (self-hosted arXiv reader)',
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
            ...(etag ? { 'if-none-match': etag } : {}),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        problem = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
        continue;
      }
      const remaining = res.headers.get('x-ratelimit-remaining');
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      if ((res.status === 403 || res.status === 429) && (remaining === '0' || res.headers.get('retry-after'))) {
        await res.body?.cancel();
        const retryAfter = Number(res.headers.get('retry-after'));
        const until = remaining === '0' && Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now().getTime() + (Number.isFinite(retryAfter) ? retryAfter : 60) * 1000);
        return { kind: 'rate_limited', until };
      }
      if (res.status === 304) return { kind: 'not_modified' };
      if (res.status === 404 || res.status === 410 || res.status === 451) {
        await res.body?.cancel();
        return { kind: 'missing', status: res.status };
      }
      if (res.status >= 500) {
        problem = `HTTP ${res.status}`;
        await res.body?.cancel();
        continue;
      }
      if (res.status !== 200) return { kind: 'failed', error: `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}${res.status === 401 ? ' (check GITHUB_TOKEN)' : ''}` };
      const body = (await res.json()) as { full_name?: unknown; stargazers_count?: unknown; pushed_at?: unknown };
      if (typeof body.stargazers_count !== 'number' || typeof body.full_name !== 'string') return { kind: 'failed', error: 'answer without full_name and stargazers_count' };
      return {
        kind: 'ok',
        repo: { fullName: body.full_name, stars: body.stargazers_count, pushedAt: typeof body.pushed_at === 'string' ? body.pushed_at : null, etag: res.headers.get('etag') },
      };
    }
    return { kind: 'failed', error: problem };
  };
}
