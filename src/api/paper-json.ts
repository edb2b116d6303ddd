// The public JSON shape of a paper: the zod schema (documented in OpenAPI) and the conversion.
import { z } from 'zod';
import { sql } from 'kysely';
import { commentsCountOf } from '../comments/index.ts';
import { votesCountOf } from '../community/index.ts';
import { ARXIV_ABS_URL, ARXIV_PDF_URL, type Paper } from '../papers/index.ts';
import type { Db } from '../store/db.ts';
import { upvotesWith, type Upvotes } from '../trending/index.ts';

export const PaperSchema = z
  .object({
    id: z.string().describe('arXiv id without version: 2503.01234 or hep-th/9901001'),
    version: z.number().int(),
    title: z.string(),
    abstract: z.string(),
    authors: z.array(z.string()),
    categories: z.array(z.string()).describe('arXiv categories, primary first'),
    primaryCategory: z.string(),
    comment: z.string().nullable(),
    journalRef: z.string().nullable(),
    doi: z.string().nullable(),
    license: z.string().nullable(),
    submittedAt: z.string().nullable().describe('ISO-8601 time of the first version'),
    updatedAt: z.string().nullable().describe('ISO-8601 time of the latest version'),
    announcedOn: z.string().describe('UTC day arXiv announced the paper (YYYY-MM-DD)'),
    withdrawn: z.boolean(),
    upvotes: z.object({
      local: z.number().int().describe('votes cast on this paperboy instance'),
      hf: z.number().int().describe('upvotes imported from Hugging Face daily_papers'),
      total: z.number().int().describe('local + hf; what daily_papers reports as upvotes'),
    }),
    numComments: z.number().int().describe('comments in the paper’s discussion here, shown to everyone'),
    links: z.array(z.object({ kind: z.enum(['code', 'project', 'hf_model', 'hf_dataset', 'hf_space']), url: z.string() })),
    urls: z.object({ page: z.string(), abs: z.string(), pdf: z.string(), bibtex: z.string() }),
  })
  .meta({ id: 'Paper' });

export type PaperJson = z.infer<typeof PaperSchema>;

export function paperToJson(p: Paper, baseUrl: string, upvotes: Upvotes = { local: 0, hf: p.hfUpvotes, total: p.hfUpvotes }, numComments = 0): PaperJson {
  return {
    id: p.arxivId,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    primaryCategory: p.primaryCategory,
    comment: p.comment,
    journalRef: p.journalRef,
    doi: p.doi,
    license: p.license,
    submittedAt: p.submittedAt,
    updatedAt: p.updatedAt,
    announcedOn: p.announcedOn,
    withdrawn: p.withdrawn,
    upvotes,
    numComments,
    links: p.links,
    urls: {
      page: `${baseUrl}/papers/${p.arxivId}`,
      abs: `${ARXIV_ABS_URL}${p.arxivId}`,
      pdf: `${ARXIV_PDF_URL}${p.arxivId}`,
      bibtex: `${baseUrl}/papers/${p.arxivId}/bibtex`,
    },
  };
}

/**
 * Papers in their JSON shape with what changes without them changing: votes cast here and comments,
 * read now (a cached search or a window's list holds the papers, not these counts).
 */
export async function papersToJson(db: Db, papers: Paper[], baseUrl: string): Promise<PaperJson[]> {
  if (papers.length === 0) return [];
  // One statement for both counts: on PostgreSQL, one round trip instead of two.
  const counts = new Map<number, { votes: number; comments: number }>();
  for (let i = 0; i < papers.length; i += 500) {
    const { rows } = await sql<{ id: number; votes: number | string; comments: number | string }>`SELECT p.id,
      ${votesCountOf(sql.ref('p.id'))} AS votes, ${commentsCountOf(sql.ref('p.id'))} AS comments
      FROM paper p WHERE p.id IN (${sql.join(papers.slice(i, i + 500).map((p) => p.id))})`.execute(db);
    for (const r of rows) counts.set(r.id, { votes: Number(r.votes), comments: Number(r.comments) });
  }
  return papers.map((p) => paperToJson(p, baseUrl, upvotesWith(p, counts.get(p.id)?.votes ?? 0), counts.get(p.id)?.comments ?? 0));
}
