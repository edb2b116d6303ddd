// GET /api/daily_papers — the Hugging Face daily_papers response shape, so existing HF clients
// (huggingface_hub's PaperInfo, scripts reading item.paper.id / .title / .summary / .upvotes)
// work against paperboy unchanged. Field names follow HF's API; fields HF requires that paperboy
// has no data for get neutral values (numComments 0, a "paperboy" submitter), documented below.
// ai_summary/ai_keywords, mediaUrls/thumbnail and githubStars come from the jobs in docs/around-the-paper.md.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiErrorSchema, apiRoute, assetUrl, CHANGE_LEVEL, dependsOn, intParam, OPEN_END, representation, type AppDeps } from '../http/index.ts';
import { lastModifiedOf, NO_EXTRAS, parsePeriodQuery, thumbnailHref, type Paper } from '../papers/index.ts';
import { latestListedPeriod, listForPeriod, listSubmittedOnHf, upvotesFor, type Upvotes } from '../trending/index.ts';
import { countComments } from '../comments/index.ts';

export const MAX_LIMIT = 100;

const HfUserSchema = z
  .object({ _id: z.string(), name: z.string(), fullname: z.string(), avatarUrl: z.string(), isPro: z.boolean(), type: z.string() })
  .meta({ id: 'HfUser', description: 'HF submitter; paperboy has none, so it names the instance itself' });

export const HfDailyPaperSchema = z
  .object({
    paper: z.object({
      id: z.string().describe('arXiv id'),
      authors: z.array(z.object({ _id: z.string(), name: z.string(), hidden: z.boolean() })),
      publishedAt: z.string().describe('when the paper was first submitted to arXiv (ISO-8601)'),
      submittedOnDailyAt: z.string().describe('the day it was listed here (ISO-8601, midnight UTC)'),
      title: z.string(),
      summary: z.string().describe('the abstract'),
      upvotes: z.number().int().describe('local votes + upvotes imported from Hugging Face'),
      discussionId: z.string().describe('the arXiv id (paperboy has no HF discussions)'),
      mediaUrls: z.array(z.string()).optional().describe('images of the paper: its first page, when rendered'),
      ai_summary: z.string().optional().describe('one-sentence summary: the model\'s when SUMMARY_URL is set, else the sentence of the abstract extracted as its TL;DR'),
      ai_keywords: z.array(z.string()).optional().describe('key phrases: the model\'s when SUMMARY_URL is set, else extracted from title and abstract'),
      githubRepo: z.string().optional().describe('first code link found in the abstract or comment, else the one Hugging Face knows'),
      githubStars: z.number().int().optional().describe('stars of githubRepo on GitHub, when fetched'),
      projectPage: z.string().optional(),
      withdrawnAt: z.string().nullable(),
    }),
    publishedAt: z.string().describe('the day the paper was listed (announced), midnight UTC'),
    title: z.string(),
    summary: z.string(),
    thumbnail: z.string().describe('the first page as an image when rendered, else the instance icon'),
    mediaUrls: z.array(z.string()).optional(),
    numComments: z.number().int().describe('comments here plus those imported from Hugging Face'),
    isAuthorParticipating: z.boolean(),
    submittedBy: HfUserSchema,
    paperboy: z
      .object({
        url: z.string(),
        primaryCategory: z.string(),
        categories: z.array(z.string()),
        upvotes: z.object({ local: z.number().int(), hf: z.number().int() }),
        keyPhrases: z.array(z.string()).describe('extracted offline from title and abstract'),
        tldr: z.string().optional().describe('the abstract sentence extracted as its TL;DR'),
        thumbnail: z.object({ url: z.string(), width: z.number().int(), height: z.number().int() }).optional(),
        githubPushedAt: z.string().optional().describe('last push to githubRepo, when fetched'),
      })
      .describe('paperboy extension: not part of the Hugging Face shape'),
  })
  .meta({ id: 'HfDailyPaper' });

export type HfDailyPaper = z.infer<typeof HfDailyPaperSchema>;

const dailyPapersQuery = z
  .object({
    date: z.string().optional().describe('a day, YYYY-MM-DD; give one of date, week or month'),
    week: z.string().optional().describe('an ISO week, YYYY-Www (2026-W27)'),
    month: z.string().optional().describe('a month, YYYY-MM'),
    limit: intParam({ min: 1, cap: MAX_LIMIT, fallback: 50, description: 'papers per page' }),
    p: intParam({ min: 0, cap: 10_000, fallback: 0, description: 'page number, counted from 0 as on Hugging Face' }),
    sort: z.enum(['trending', 'publishedAt']).optional().transform((s) => s ?? 'trending').describe('trending (default): most upvoted first; publishedAt: newest first'),
    submitter: z.string().min(1).max(100).optional().describe('only papers this Hugging Face user submitted there (their user name), as hf-sync or an import recorded'),
  })
  .superRefine((q, ctx) => {
    const parsed = parsePeriodQuery(q);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: [parsed.param], message: parsed.message.replace(new RegExp(`^${parsed.param} `), '') });
  });

/** One paper as an element of HF's daily_papers array. */
export function toHfDailyPaper(p: Paper, up: Upvotes, baseUrl: string, localComments = 0): HfDailyPaper {
  const listedAt = `${p.announcedOn}T00:00:00.000Z`;
  const extras = p.extras ?? NO_EXTRAS;
  const code = p.links.find((l) => l.kind === 'code')?.url ?? extras.hf?.githubRepo ?? undefined;
  const project = p.links.find((l) => l.kind === 'project')?.url;
  const icon = `${baseUrl}${assetUrl('favicon.svg')}`;
  const thumb = extras.thumbnail ? `${baseUrl}${thumbnailHref(extras.thumbnail)}` : undefined;
  const hidden = new Set(extras.hf?.hiddenAuthors ?? []);
  const summary = extras.aiSummary ?? extras.tldr;
  const keywords = extras.aiKeywords ?? (extras.keyPhrases.length > 0 ? extras.keyPhrases : undefined);
  const stars = extras.code && extras.code.url === code ? extras.code : undefined;
  const submitter = extras.hf?.submitterName;
  return {
    paper: {
      id: p.arxivId,
      authors: p.authors.map((name, i) => ({ _id: `${p.arxivId}#${i + 1}`, name, hidden: hidden.has(i) })),
      ...(thumb ? { mediaUrls: [thumb] } : {}),
      publishedAt: p.submittedAt ?? listedAt,
      submittedOnDailyAt: listedAt,
      title: p.title,
      summary: p.abstract,
      upvotes: up.total,
      discussionId: p.arxivId,
      ...(summary ? { ai_summary: summary } : {}),
      ...(keywords ? { ai_keywords: keywords } : {}),
      ...(code ? { githubRepo: code } : {}),
      ...(stars ? { githubStars: stars.stars } : {}),
      ...(project ? { projectPage: project } : {}),
      withdrawnAt: p.withdrawn ? (p.updatedAt ?? listedAt) : null,
    },
    publishedAt: listedAt,
    title: p.title,
    summary: p.abstract,
    thumbnail: thumb ?? icon,
    ...(thumb ? { mediaUrls: [thumb] } : {}),
    numComments: localComments + (extras.hf?.numComments ?? 0),
    isAuthorParticipating: false,
    submittedBy: submitter
      ? { _id: `hf:${submitter}`, name: submitter, fullname: extras.hf?.submitterFullname ?? submitter, avatarUrl: icon, isPro: false, type: 'user' }
      : { _id: 'paperboy', name: 'paperboy', fullname: 'paperboy', avatarUrl: icon, isPro: false, type: 'user' },
    paperboy: {
      url: `${baseUrl}/papers/${p.arxivId}`,
      primaryCategory: p.primaryCategory,
      categories: p.categories,
      upvotes: { local: up.local, hf: up.hf },
      keyPhrases: extras.keyPhrases,
      ...(extras.tldr ? { tldr: extras.tldr } : {}),
      ...(extras.thumbnail && thumb ? { thumbnail: { url: thumb, width: extras.thumbnail.width, height: extras.thumbnail.height } } : {}),
      ...(stars?.pushedAt ? { githubPushedAt: stars.pushedAt } : {}),
    },
  };
}

export function registerDailyPapersRoute(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/daily_papers',
    operationId: 'getDailyPapers',
    tags: ['papers'],
    summary: 'Papers of a day, week or month, in the Hugging Face daily_papers shape',
    description:
      'Compatible with https://huggingface.co/api/daily_papers: the same parameters and a JSON array of the same items. ' +
      'Without date, week or month it answers for the most recent day that has papers. The total count is in X-Total-Count.',
    query: dailyPapersQuery,
    cache: { maxAge: 60, untilChange: true },
    responses: {
      200: { description: 'The papers, best first (or newest first with sort=publishedAt)', schema: z.array(HfDailyPaperSchema) },
      400: { description: 'A malformed parameter, named in the message', schema: ApiErrorSchema },
    },
    handler: async ({ query, req, reply }) => {
      const period = parsePeriodQuery(query);
      const asked = period.ok ? period.period : undefined;
      const chosen = asked ?? (await latestListedPeriod(deps.db, 'day'));
      if (!chosen) return representation('[]', 'application/json; charset=utf-8');
      const page = { limit: query.limit, offset: query.p * query.limit, sort: query.sort };
      const { papers, total } = query.submitter ? await listSubmittedOnHf(deps.db, chosen, query.submitter, page) : await listForPeriod(deps.db, chosen, page);
      dependsOn(req, { days: [chosen.start, asked ? chosen.end : OPEN_END], papers: papers.map((p) => p.id), level: CHANGE_LEVEL.listed });
      const [upvotes, lastModified, comments] = await Promise.all([upvotesFor(deps.db, papers), lastModifiedOf(deps.db, papers.map((p) => p.id)), countComments(deps.db, papers.map((p) => p.id))]);
      reply.header('x-total-count', String(total));
      const body = papers.map((p) => toHfDailyPaper(p, upvotes.get(p.id)!, deps.config.baseUrl, comments.get(p.id) ?? 0));
      return representation(JSON.stringify(body), 'application/json; charset=utf-8', lastModified);
    },
  });
}
