// The settings of what paperboy adds around a paper: summaries, thumbnails, code stars, Hugging Face
// sync (docs/around-the-paper.md). Part of the one Config: config.ts reads the variables and calls
// parseAround; nothing here reads process.env.
import { parseCron, parseInteger, parseUrl } from './config-values.ts';

export interface AroundConfig {
  /** OpenAI-compatible base URL for model-written summaries; unset: offline key phrases and TL;DR only. */
  summaryUrl: string | undefined;
  summaryModel: string | undefined;
  summaryApiKey: string | undefined;
  /** Papers summarised by the model per run of the summarize job. */
  summaryMaxPerRun: number;
  thumbnails: boolean;
  /** Where PDFs come from: ARXIV_PDF_URL + arXiv id. */
  arxivPdfUrl: string;
  /** Thumbnails are made for papers announced within this many days of today. */
  thumbnailDays: number;
  /** Width in pixels of the rendered first page. */
  thumbnailWidth: number;
  /** PDFs larger than this are not downloaded (bytes). */
  thumbnailMaxPdfBytes: number;
  githubStars: boolean;
  githubApiUrl: string;
  githubToken: string | undefined;
  /** A repository's stars are refreshed after this many hours. */
  githubRefreshHours: number;
  /** When the hf-sync job runs (cron, UTC), or 'off'. */
  hfSyncCron: string;
  hfDailyPapersUrl: string;
  /** Days back (from today) hf-sync pulls each run. */
  hfSyncDays: number;
}

function onOff(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  problems.push(`${name}: expected on or off, got "${raw}"`);
  return fallback;
}

export function parseAround(get: (name: string) => string | undefined, problems: string[]): AroundConfig {
  const summaryRaw = get('SUMMARY_URL');
  const summaryUrl = summaryRaw === undefined ? undefined : parseUrl('SUMMARY_URL', summaryRaw.replace(/\/+$/, ''), ['http:', 'https:'], problems);
  const summaryModel = get('SUMMARY_MODEL');
  if (summaryUrl && !summaryModel) problems.push('SUMMARY_MODEL: required with SUMMARY_URL, the model name the endpoint knows, e.g. gpt-4o-mini or llama3.1');
  return {
    summaryUrl,
    summaryModel,
    summaryApiKey: get('SUMMARY_API_KEY'),
    summaryMaxPerRun: parseInteger('SUMMARY_MAX_PER_RUN', get('SUMMARY_MAX_PER_RUN'), 50, 1, 100_000, problems),
    thumbnails: onOff('THUMBNAILS', get('THUMBNAILS'), true, problems),
    arxivPdfUrl: parseUrl('ARXIV_PDF_URL', get('ARXIV_PDF_URL') ?? 'https://export.arxiv.org/pdf/', ['http:', 'https:'], problems),
    thumbnailDays: parseInteger('THUMBNAIL_DAYS', get('THUMBNAIL_DAYS'), 3, 0, 3650, problems),
    thumbnailWidth: parseInteger('THUMBNAIL_WIDTH', get('THUMBNAIL_WIDTH'), 300, 50, 2000, problems),
    thumbnailMaxPdfBytes: parseInteger('THUMBNAIL_MAX_PDF_MB', get('THUMBNAIL_MAX_PDF_MB'), 40, 1, 1000, problems) * 1_048_576,
    githubStars: onOff('GITHUB_STARS', get('GITHUB_STARS'), true, problems),
    githubApiUrl: parseUrl('GITHUB_API_URL', (get('GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, ''), ['http:', 'https:'], problems),
    githubToken: get('GITHUB_TOKEN'),
    githubRefreshHours: parseInteger('GITHUB_REFRESH_HOURS', get('GITHUB_REFRESH_HOURS'), 24, 1, 24 * 365, problems),
    hfSyncCron: parseCron('HF_SYNC_CRON', get('HF_SYNC_CRON') ?? 'off', problems),
    hfDailyPapersUrl: parseUrl('HF_DAILY_PAPERS_URL', get('HF_DAILY_PAPERS_URL') ?? 'https://huggingface.co/api/daily_papers', ['http:', 'https:'], problems),
    hfSyncDays: parseInteger('HF_SYNC_DAYS', get('HF_SYNC_DAYS'), 3, 1, 365, problems),
  };
}

export function describeAround(a: AroundConfig): Array<[string, string]> {
  return [
    ['SUMMARY_URL', a.summaryUrl ?? '(unset: offline key phrases and TL;DR only)'],
    ['SUMMARY_MODEL', a.summaryModel ?? '(unset)'],
    ['SUMMARY_API_KEY', a.summaryApiKey ? '***' : '(unset)'],
    ['SUMMARY_MAX_PER_RUN', String(a.summaryMaxPerRun)],
    ['THUMBNAILS', a.thumbnails ? 'on' : 'off'],
    ['ARXIV_PDF_URL', a.arxivPdfUrl],
    ['THUMBNAIL_DAYS', String(a.thumbnailDays)],
    ['THUMBNAIL_WIDTH', String(a.thumbnailWidth)],
    ['THUMBNAIL_MAX_PDF_MB', String(a.thumbnailMaxPdfBytes / 1_048_576)],
    ['GITHUB_STARS', a.githubStars ? 'on' : 'off'],
    ['GITHUB_API_URL', a.githubApiUrl],
    ['GITHUB_TOKEN', a.githubToken ? '***' : '(unset: anonymous, 60 requests an hour)'],
    ['GITHUB_REFRESH_HOURS', String(a.githubRefreshHours)],
    ['HF_SYNC_CRON', a.hfSyncCron],
    ['HF_DAILY_PAPERS_URL', a.hfDailyPapersUrl],
    ['HF_SYNC_DAYS', String(a.hfSyncDays)],
  ];
}
