// `paperboy config`'s view of the configuration: every variable with its effective value, secrets
// masked, so an operator sees what a process will do before starting it.
import type { Config } from './config.ts';
import { describeAround } from './config-around.ts';
import { maskUrl } from './config-values.ts';

function describeTrustProxy(t: Config['trustProxy']): string {
  if (t === false) return 'off (clients are the socket addresses; X-Forwarded-* ignored)';
  if (t === true) return 'on (X-Forwarded-* believed from any address)';
  return t.join(',');
}

/** The effective configuration as NAME=value lines, secrets masked. */
export function describeConfig(config: Config): Array<[string, string]> {
  return [
    ['PORT', String(config.port)],
    ['HOST', config.host],
    ['DATABASE_URL', maskUrl(config.databaseUrl)],
    ['DATA_DIR', config.dataDir],
    ['BASE_URL', config.baseUrl],
    ['TRUST_PROXY', describeTrustProxy(config.trustProxy)],
    ['SMTP_URL', config.smtpUrl ? maskUrl(config.smtpUrl) : '(unset: mail is written to DATA_DIR/outbox as .eml)'],
    ['MAIL_FROM', config.mailFrom],
    ['PAPERBOY_SAMPLE', config.sample ? 'on' : 'off'],
    ['PAPERBOY_SECRET', config.secret ? '***' : '(unset: generated and kept in DATA_DIR/secret)'],
    ['LOG_LEVEL', config.logLevel],
    ['ARXIV_OAI_URL', config.arxivOaiUrl],
    ['ARXIV_API_URL', config.arxivApiUrl],
    ['ARXIV_SETS', config.arxivSets.join(',')],
    ['ARXIV_MIN_INTERVAL_MS', String(config.arxivMinIntervalMs)],
    ['SESSION_DAYS', String(config.sessionDays)],
    ['SIGNIN_LIMIT_PER_HOUR', String(config.signinLimitPerHour)],
    ['WRITE_LIMIT_PER_MINUTE', String(config.writeLimitPerMinute)],
    ['SEARCH_LIMIT_PER_MINUTE', String(config.searchLimitPerMinute)],
    ['SEARCH_THREADS', String(config.searchThreads)],
    ['CACHE_MEMORY_MB', String(config.cacheMemoryMb)],
    ['SUBMIT_DAILY_LIMIT', String(config.submitDailyLimit)],
    ['HOT_GRAVITY', String(config.hotGravity)],
    ['HOT_OFFSET_HOURS', String(config.hotOffsetHours)],
    ['HOT_WINDOW_DAYS', String(config.hotWindowDays)],
    ['ARXIV_TIMEOUT_MS', String(config.arxivTimeoutMs)],
    ['HARVEST_CRON', config.harvestCron === 'off' ? 'off' : `${config.harvestCron} (US Eastern)`],
    ['API_WRITE_RATE_LIMIT', String(config.apiWriteRateLimit)],
    ['EMBEDDINGS', config.embeddings.mode],
    ['EMBEDDING_MODEL', config.embeddings.model],
    ['EMBEDDING_URL', config.embeddings.url ?? '(unset)'],
    ['EMBEDDING_API_KEY', config.embeddings.apiKey ? '***' : '(unset)'],
    ['EMBEDDING_DTYPE', config.embeddings.dtype],
    ['EMBEDDING_POOLING', config.embeddings.pooling],
    ['EMBEDDING_HUB_URL', config.embeddings.hubUrl ?? 'off'],
    ['EMBEDDING_BATCH_SIZE', String(config.embeddings.batchSize)],
    ['DIGEST_DAILY_CRON', config.digestDailyCron],
    ['DIGEST_WEEKLY_CRON', config.digestWeeklyCron],
    ['SMTP_MAX_CONNECTIONS', String(config.smtpMaxConnections)],
    ['COMMENT_EDIT_MINUTES', String(config.comments.editWindowMinutes)],
    ['COMMENT_LIMIT_PER_HOUR', String(config.comments.limitPerHour)],
    ['COMMENT_HOLD_FIRST', String(config.comments.holdFirst)],
    ...describeAround(config.around),
  ];
}
