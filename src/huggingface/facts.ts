// What a Hugging Face daily_papers item says about a paper beyond its metadata, and where it is
// kept: paper.hf_upvotes (apart from local votes, which nothing here touches) and paper_hf.
import { z } from 'zod';
import { parseArxivId } from '../papers/index.ts';
import type { Db, Tx } from '../store/db.ts';

export interface HfFacts {
  arxivId: string;
  upvotes: number | undefined;
  numComments: number;
  submitterName: string | null;
  submitterFullname: string | null;
  githubRepo: string | null;
  /** 0-based positions of authors HF marks hidden. */
  hiddenAuthors: number[];
  /** The day HF listed it (its outer publishedAt), YYYY-MM-DD. */
  listedOn: string | null;
}

const Item = z.object({
  paper: z.object({
    id: z.string(),
    upvotes: z.number().int().min(0).optional(),
    githubRepo: z.string().url().optional().nullable(),
    authors: z.array(z.object({ hidden: z.boolean().optional() }).passthrough()).optional(),
  }).passthrough(),
  publishedAt: z.string().optional(),
  numComments: z.number().int().min(0).optional(),
  submittedBy: z.object({ name: z.string().max(100).optional(), fullname: z.string().max(200).optional() }).passthrough().optional(),
}).passthrough();

/** The facts of one daily_papers item, or undefined when it is not one (no arXiv id). Pure. */
export function hfFactsOf(value: unknown): HfFacts | undefined {
  const r = Item.safeParse(value);
  if (!r.success) return undefined;
  const id = parseArxivId(r.data.paper.id);
  if (!id) return undefined;
  const listed = r.data.publishedAt && !Number.isNaN(Date.parse(r.data.publishedAt)) ? new Date(r.data.publishedAt).toISOString().slice(0, 10) : null;
  const github = r.data.paper.githubRepo && /^https:\/\/github\.com\//.test(r.data.paper.githubRepo) ? r.data.paper.githubRepo : null;
  return {
    arxivId: id.id,
    upvotes: r.data.paper.upvotes,
    numComments: r.data.numComments ?? 0,
    submitterName: r.data.submittedBy?.name ?? null,
    submitterFullname: r.data.submittedBy?.fullname ?? null,
    githubRepo: github,
    hiddenAuthors: (r.data.paper.authors ?? []).flatMap((a, i) => (a.hidden ? [i] : [])),
    listedOn: listed,
  };
}

/**
 * Records facts for the papers this instance has (others are skipped); returns how many were recorded.
 * Upvotes replace the imported HF count only; local votes live in their own table and are never touched.
 */
export async function recordHfFacts(db: Db | Tx, facts: HfFacts[], now: Date): Promise<number> {
  if (facts.length === 0) return 0;
  const byId = new Map(facts.map((f) => [f.arxivId, f]));
  const papers = await db.selectFrom('paper').select(['id', 'arxiv_id', 'hf_upvotes']).where('arxiv_id', 'in', [...byId.keys()]).execute();
  const stamp = now.toISOString();
  for (const p of papers) {
    const f = byId.get(p.arxiv_id)!;
    if (f.upvotes !== undefined && f.upvotes !== p.hf_upvotes) await db.updateTable('paper').set({ hf_upvotes: f.upvotes }).where('id', '=', p.id).execute();
    const row = {
      paper_id: p.id,
      num_comments: f.numComments,
      submitter_name: f.submitterName,
      submitter_fullname: f.submitterFullname,
      github_repo: f.githubRepo,
      hidden_authors: f.hiddenAuthors.length > 0 ? JSON.stringify(f.hiddenAuthors) : null,
      listed_on: f.listedOn,
      synced_at: stamp,
    };
    await db.insertInto('paper_hf').values(row).onConflict((oc) => oc.column('paper_id').doUpdateSet({ ...row, paper_id: undefined })).execute();
  }
  return papers.length;
}
