// The one typed configuration. Reads process.env once, reports every bad variable together,
// returns a frozen object. Nothing else in paperboy reads process.env.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Cron } from 'croner';
import { maskUrl, parseCron, parseDecimal, parseInteger, parseTrustProxy, parseUrl } from './config-values.ts';
import { parseAround, type AroundConfig } from './config-around.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  dialect: Dialect;
  /** Filesystem path of the SQLite database; undefined on PostgreSQL. */
  sqlitePath: string | undefined;
  dataDir: string;
  baseUrl: string;
  /** Whether BASE_URL was set; when not, processes use the public URL a server recorded (publicUrl). */
  baseUrlFromEnv: boolean;
  /**
   * Which peers' X-Forwarded-For / -Proto / -Host to believe, in fastify's terms: false (the client is
   * the socket's address), true (any peer), or the proxies' addresses and CIDR ranges.
   */
  trustProxy: boolean | string[];
  smtpUrl: string | undefined;
  mailFrom: string;
  sample: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Secret used to sign tokens in URLs (unsubscribe links, CSRF). */
  secret: string;
  arxivOaiUrl: string;
  arxivApiUrl: string;
  arxivSets: string[];
  arxivMinIntervalMs: number;
  /** Give up on one request to arXiv after this long. */
  arxivTimeoutMs: number;
  /** Cron pattern in US Eastern time, or 'off'. */
  harvestCron: string;
  // ── community ──
  /** How long a sign-in session lasts, in days. */
  sessionDays: number;
  /** Sign-in links a single IP address, or a single email address, may request per hour. */
  signinLimitPerHour: number;
  /** Votes and other writes one account may make per minute (one IP gets three times as many). */
  writeLimitPerMinute: number;
  /** Searches (page, API, feed) one client IP may run per minute, not counting those the result cache answers. */
  searchLimitPerMinute: number;
  /** SQLite: threads that run searches off the event loop (0: on it). */
  searchThreads: number;
  /** Megabytes all in-memory caches of a process may hold together, SQLite's page cache included (lib/memory-budget.ts). */
  cacheMemoryMb: number;
  /** Papers one account may submit per UTC day. */
  submitDailyLimit: number;
  /** Hot list: score = votes / (age_hours + hotOffsetHours) ^ hotGravity. */
  hotGravity: number;
  hotOffsetHours: number;
  /** Hot list: only papers announced within this many days of the latest day are candidates. */
  hotWindowDays: number;
  embeddings: EmbeddingsConfig;
  /** When serve renders and sends the daily / weekly digest (cron, UTC), or 'off'. */
  digestDailyCron: string;
  digestWeeklyCron: string;
  /** Concurrent SMTP connections (and messages in flight) when sending digests. */
  smtpMaxConnections: number;
  /** Requests a minute each API token (or address, without one) may make to write endpoints. */
  apiWriteRateLimit: number;
  /** Summaries, thumbnails, code stars, Hugging Face sync (config-around.ts). */
  around: AroundConfig;
  comments: CommentsConfig;
}

export interface CommentsConfig {
  /** Minutes after posting during which an author may edit a comment. */
  editWindowMinutes: number;
  /** Comments one account may post per hour (one IP address gets three times as many). */
  limitPerHour: number;
  /** How many of a new account's first comments wait for a curator before they show; 0 shows them at once. */
  holdFirst: number;
}

export type EmbeddingsMode = 'auto' | 'transformers' | 'openai' | 'builtin' | 'off';

export interface EmbeddingsConfig {
  mode: EmbeddingsMode;
  /** Hugging Face id or local directory (transformers), or the endpoint's model name (openai). */
  model: string;
  /** OpenAI-compatible base URL, e.g. http://localhost:11434/v1. */
  url: string | undefined;
  apiKey: string | undefined;
  /** Which ONNX weights: fp32 (onnx/model.onnx), q8 (onnx/model_quantized.onnx), fp16, q4. */
  dtype: string;
  pooling: 'auto' | 'mean' | 'cls';
  /** Where transformers models are downloaded from (a Hub mirror); "off" forbids downloads. */
  hubUrl: string | undefined;
  batchSize: number;
}

/** Fits a small instance: with the code and the recommender's statistics, a web process levels off near 600 MB. */
export const DEFAULT_CACHE_MEMORY_MB = 256;

export const DEFAULT_EMBEDDING_MODEL = 'Xenova/bge-small-en-v1.5';

/** A variable that holds a secret: masked by `paperboy config`, also readable from NAME_FILE. */
export const SECRET_VARS = new Set(['SMTP_URL', 'PAPERBOY_SECRET', 'DATABASE_URL', 'EMBEDDING_API_KEY', 'SUMMARY_API_KEY', 'GITHUB_TOKEN']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** An OAI-PMH setSpec as arXiv writes them: cs, math, physics:hep-th, cs:cs:AI. */
export const OAI_SET_SPEC = /^[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9._-]+)*$/;

type Env = Record<string, string | undefined>;

/** Reads NAME, or the contents of the file named by NAME_FILE for secrets. */
function readVar(env: Env, name: string, problems: string[]): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = env[`${name}_FILE`];
  if (file && SECRET_VARS.has(name)) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return undefined;
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const get = (name: string) => readVar(env, name, problems);

  const port = parseInteger('PORT', get('PORT'), 3000, 0, 65535, problems);
  const host = get('HOST') ?? '127.0.0.1';
  const databaseUrl = get('DATABASE_URL') ?? 'sqlite:./data/paperboy.db';
  const parsedDb = parseDatabaseUrl(databaseUrl);
  if ('problem' in parsedDb) problems.push(`DATABASE_URL: ${parsedDb.problem}`);
  const { dialect, sqlitePath } = 'problem' in parsedDb ? { dialect: 'sqlite' as Dialect, sqlitePath: undefined } : parsedDb;
  const dataDir = get('DATA_DIR') ?? './data';
  const baseUrl = parseUrl('BASE_URL', (get('BASE_URL') ?? `http://localhost:${port}`).replace(/\/+$/, ''), ['http:', 'https:'], problems);
  const trustProxy = parseTrustProxy(get('TRUST_PROXY'), problems);
  const smtpRaw = get('SMTP_URL');
  const smtpUrl = smtpRaw === undefined ? undefined : parseUrl('SMTP_URL', smtpRaw, ['smtp:', 'smtps:'], problems);
  const mailFrom = get('MAIL_FROM') ?? `paperboy <paperboy@${hostOf(baseUrl)}>`;
  const sampleRaw = (get('PAPERBOY_SAMPLE') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(sampleRaw)) problems.push(`PAPERBOY_SAMPLE: expected on or off, got "${sampleRaw}"`);
  const logLevelRaw = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  const levels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
  if (!(levels as readonly string[]).includes(logLevelRaw)) problems.push(`LOG_LEVEL: expected one of ${levels.join(', ')}, got "${logLevelRaw}"`);
  const secret = get('PAPERBOY_SECRET') ?? '';
  if (secret !== '' && secret.length < 16) problems.push('PAPERBOY_SECRET: must be at least 16 characters');
  const arxivOaiUrl = parseUrl('ARXIV_OAI_URL', get('ARXIV_OAI_URL') ?? 'https://oaipmh.arxiv.org/oai', ['http:', 'https:'], problems);
  const arxivApiUrl = parseUrl('ARXIV_API_URL', get('ARXIV_API_URL') ?? 'https://export.arxiv.org/api/query', ['http:', 'https:'], problems);
  const arxivSets = (get('ARXIV_SETS') ?? 'cs').split(',').map((s) => s.trim()).filter(Boolean);
  const badSets = arxivSets.filter((s) => !OAI_SET_SPEC.test(s));
  if (arxivSets.length === 0 || badSets.length > 0) problems.push(`ARXIV_SETS: expected comma-separated OAI sets such as "cs" or "cs,physics:hep-th", got "${get('ARXIV_SETS')}"`);
  const arxivMinIntervalMs = parseInteger('ARXIV_MIN_INTERVAL_MS', get('ARXIV_MIN_INTERVAL_MS'), 3000, 0, 600_000, problems);
  const sessionDays = parseInteger('SESSION_DAYS', get('SESSION_DAYS'), 30, 1, 3650, problems);
  const signinLimitPerHour = parseInteger('SIGNIN_LIMIT_PER_HOUR', get('SIGNIN_LIMIT_PER_HOUR'), 10, 1, 100_000, problems);
  const writeLimitPerMinute = parseInteger('WRITE_LIMIT_PER_MINUTE', get('WRITE_LIMIT_PER_MINUTE'), 60, 1, 100_000, problems);
  const searchLimitPerMinute = parseInteger('SEARCH_LIMIT_PER_MINUTE', get('SEARCH_LIMIT_PER_MINUTE'), 300, 1, 1_000_000, problems);
  // One search thread per core beyond the one the event loop needs: at least one, at most four.
  const searchThreads = parseInteger('SEARCH_THREADS', get('SEARCH_THREADS'), Math.max(1, Math.min(4, availableParallelism() - 1)), 0, 64, problems);
  const cacheMemoryMb = parseInteger('CACHE_MEMORY_MB', get('CACHE_MEMORY_MB'), DEFAULT_CACHE_MEMORY_MB, 16, 1_048_576, problems);
  const submitDailyLimit = parseInteger('SUBMIT_DAILY_LIMIT', get('SUBMIT_DAILY_LIMIT'), 10, 0, 100_000, problems);
  const hotGravity = parseDecimal('HOT_GRAVITY', get('HOT_GRAVITY'), 1.8, 0, 10, problems);
  const hotOffsetHours = parseDecimal('HOT_OFFSET_HOURS', get('HOT_OFFSET_HOURS'), 2, 0.01, 1000, problems);
  const hotWindowDays = parseInteger('HOT_WINDOW_DAYS', get('HOT_WINDOW_DAYS'), 30, 1, 3650, problems);
  const arxivTimeoutMs = parseInteger('ARXIV_TIMEOUT_MS', get('ARXIV_TIMEOUT_MS'), 60_000, 100, 3_600_000, problems);
  const harvestCron = (get('HARVEST_CRON') ?? '0 20 * * 0-4').trim();
  if (harvestCron.toLowerCase() !== 'off') {
    try {
      new Cron(harvestCron, { paused: true, timezone: 'America/New_York' }).stop();
    } catch (err) {
      problems.push(`HARVEST_CRON: expected a cron pattern such as "0 20 * * 0-4" or "off", got "${harvestCron}" (${(err as Error).message})`);
    }
  }
  const apiWriteRateLimit = parseInteger('API_WRITE_RATE_LIMIT', get('API_WRITE_RATE_LIMIT'), 60, 1, 100_000, problems);
  const embeddings = parseEmbeddings(get, problems);
  const digestDailyCron = parseCron('DIGEST_DAILY_CRON', get('DIGEST_DAILY_CRON') ?? '0 7 * * *', problems);
  const digestWeeklyCron = parseCron('DIGEST_WEEKLY_CRON', get('DIGEST_WEEKLY_CRON') ?? '0 7 * * 1', problems);
  const smtpMaxConnections = parseInteger('SMTP_MAX_CONNECTIONS', get('SMTP_MAX_CONNECTIONS'), 5, 1, 100, problems);
  const around = parseAround(get, problems);
  const comments: CommentsConfig = {
    editWindowMinutes: parseInteger('COMMENT_EDIT_MINUTES', get('COMMENT_EDIT_MINUTES'), 30, 0, 525_600, problems),
    limitPerHour: parseInteger('COMMENT_LIMIT_PER_HOUR', get('COMMENT_LIMIT_PER_HOUR'), 30, 1, 100_000, problems),
    holdFirst: parseInteger('COMMENT_HOLD_FIRST', get('COMMENT_HOLD_FIRST'), 0, 0, 1000, problems),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    port, host, databaseUrl, dialect, sqlitePath, dataDir, baseUrl, baseUrlFromEnv: get('BASE_URL') !== undefined, smtpUrl, mailFrom,
    trustProxy,
    sample: sampleRaw === 'on',
    logLevel: logLevelRaw as Config['logLevel'],
    secret,
    arxivOaiUrl, arxivApiUrl, arxivSets, arxivMinIntervalMs, arxivTimeoutMs,
    harvestCron: harvestCron.toLowerCase() === 'off' ? 'off' : harvestCron,
    apiWriteRateLimit,
    sessionDays, signinLimitPerHour, writeLimitPerMinute, searchLimitPerMinute, searchThreads, cacheMemoryMb, submitDailyLimit, hotGravity, hotOffsetHours, hotWindowDays,
    embeddings: Object.freeze(embeddings),
    digestDailyCron, digestWeeklyCron, smtpMaxConnections,
    around: Object.freeze(around),
    comments: Object.freeze(comments),
  });
}

function parseEmbeddings(get: (name: string) => string | undefined, problems: string[]): EmbeddingsConfig {
  const modes = ['auto', 'transformers', 'openai', 'builtin', 'off'] as const;
  const modeRaw = (get('EMBEDDINGS') ?? 'auto').toLowerCase();
  if (!(modes as readonly string[]).includes(modeRaw)) problems.push(`EMBEDDINGS: expected one of ${modes.join(', ')}, got "${modeRaw}"`);
  const mode = (modes as readonly string[]).includes(modeRaw) ? (modeRaw as EmbeddingsMode) : 'auto';
  const urlRaw = get('EMBEDDING_URL');
  const url = urlRaw === undefined ? undefined : parseUrl('EMBEDDING_URL', urlRaw, ['http:', 'https:'], problems);
  if (mode === 'openai' && url === undefined) problems.push('EMBEDDING_URL: required with EMBEDDINGS=openai, e.g. http://localhost:11434/v1 or https://api.openai.com/v1');
  const dtypes = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'];
  const dtype = (get('EMBEDDING_DTYPE') ?? 'fp32').toLowerCase();
  if (!dtypes.includes(dtype)) problems.push(`EMBEDDING_DTYPE: expected one of ${dtypes.join(', ')}, got "${dtype}"`);
  const pooling = (get('EMBEDDING_POOLING') ?? 'auto').toLowerCase();
  if (!['auto', 'mean', 'cls'].includes(pooling)) problems.push(`EMBEDDING_POOLING: expected auto, mean or cls, got "${pooling}"`);
  const hubRaw = get('EMBEDDING_HUB_URL') ?? 'https://huggingface.co/';
  const hubUrl = hubRaw.toLowerCase() === 'off' ? undefined : parseUrl('EMBEDDING_HUB_URL', hubRaw, ['http:', 'https:'], problems);
  return {
    mode,
    model: get('EMBEDDING_MODEL') ?? DEFAULT_EMBEDDING_MODEL,
    url,
    apiKey: get('EMBEDDING_API_KEY'),
    dtype,
    pooling: pooling as EmbeddingsConfig['pooling'],
    hubUrl,
    batchSize: parseInteger('EMBEDDING_BATCH_SIZE', get('EMBEDDING_BATCH_SIZE'), 32, 1, 2048, problems),
  };
}

/** Which database a URL names: sqlite:PATH or postgres://…; also used by `paperboy migrate-data`. */
export function parseDatabaseUrl(raw: string): { dialect: Dialect; sqlitePath: string | undefined } | { problem: string } {
  if (raw.startsWith('sqlite:')) {
    const sqlitePath = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (sqlitePath === '') return { problem: 'sqlite: needs a file path, e.g. sqlite:./data/paperboy.db' };
    return { dialect: 'sqlite', sqlitePath };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) return { dialect: 'postgres', sqlitePath: undefined };
  return { problem: `expected sqlite:PATH or postgres://…, got "${maskUrl(raw)}"` };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'localhost';
  }
}
