// What is known around a paper beyond its metadata: key phrases and a TL;DR, a model-written summary,
// a thumbnail of its first page, its repository's stars, and what Hugging Face says about it. Each
// is filled in by a job (summary/, thumbnails/, repos/, huggingface/); every listing reads them here,
// in one query per table, so a card never waits for a job and a missing fact just isn't shown.
import type { Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import type { CodeRepoTable, PaperHfTable, PaperSummaryTable, PaperThumbnailTable } from '../store/schema.ts';
import type { PaperLink } from './links.ts';

export interface PaperThumbnail {
  /** File name under DATA_DIR/thumbnails, served at /thumbnails/FILE. */
  file: string;
  width: number;
  height: number;
}

/** Where a thumbnail is served. */
export function thumbnailHref(t: PaperThumbnail): string {
  return `/thumbnails/${t.file}`;
}

export interface PaperCode {
  url: string;
  /** owner/name as GitHub spells it. */
  fullName: string;
  stars: number;
  pushedAt: string | null;
}

export interface PaperHf {
  numComments: number;
  submitterName: string | null;
  submitterFullname: string | null;
  githubRepo: string | null;
  /** 0-based positions of the authors Hugging Face shows as hidden. */
  hiddenAuthors: number[];
}

export interface PaperExtras {
  keyPhrases: string[];
  tldr: string | undefined;
  aiSummary: string | undefined;
  aiKeywords: string[] | undefined;
  thumbnail: PaperThumbnail | undefined;
  code: PaperCode | undefined;
  hf: PaperHf | undefined;
}

export const NO_EXTRAS: PaperExtras = Object.freeze({ keyPhrases: [], tldr: undefined, aiSummary: undefined, aiKeywords: undefined, thumbnail: undefined, code: undefined, hf: undefined });

function jsonArray<T>(text: string | null): T[] | undefined {
  if (!text) return undefined;
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? (value as T[]) : undefined;
}

/** The rows extras are made of, one list per table (loadPaperExtras reads them; PostgreSQL's findPapersByIds reads them along with the papers). */
export interface ExtrasRows {
  summaries: Array<Pick<PaperSummaryTable, 'paper_id' | 'key_phrases' | 'tldr' | 'ai_summary' | 'ai_keywords'>>;
  thumbnails: Array<Pick<PaperThumbnailTable, 'paper_id' | 'file' | 'width' | 'height'>>;
  hf: Array<Pick<Selectable<PaperHfTable>, 'paper_id' | 'num_comments' | 'submitter_name' | 'submitter_fullname' | 'github_repo' | 'hidden_authors'>>;
  repos: Array<Pick<CodeRepoTable, 'url' | 'full_name' | 'stars' | 'pushed_at'>>;
}

/** Extras of papers by id (absent ids have none); `links` are the papers' links, for their code stars. */
export async function loadPaperExtras(db: Db, ids: number[], links: Map<number, PaperLink[]>): Promise<Map<number, PaperExtras>> {
  if (ids.length === 0) return new Map();
  const codeUrls = [...new Set([...links.values()].map((ls) => ls.find((l) => l.kind === 'code')?.url).filter((u) => u !== undefined))];
  const [summaries, thumbnails, hf, repos] = await Promise.all([
    db.selectFrom('paper_summary').select(['paper_id', 'key_phrases', 'tldr', 'ai_summary', 'ai_keywords']).where('paper_id', 'in', ids).execute(),
    db.selectFrom('paper_thumbnail').select(['paper_id', 'file', 'width', 'height']).where('paper_id', 'in', ids).where('status', '=', 'ready').execute(),
    db.selectFrom('paper_hf').select(['paper_id', 'num_comments', 'submitter_name', 'submitter_fullname', 'github_repo', 'hidden_authors']).where('paper_id', 'in', ids).execute(),
    codeUrls.length === 0 ? Promise.resolve([]) : db.selectFrom('code_repo').select(['url', 'full_name', 'stars', 'pushed_at']).where('url', 'in', codeUrls).where('status', '=', 'ok').execute(),
  ]);
  return extrasFromRows({ summaries, thumbnails, hf, repos }, links);
}

/** Extras from their rows: thumbnails only when ready (the caller selects those), code stars by each paper's first code link. */
export function extrasFromRows({ summaries, thumbnails, hf, repos }: ExtrasRows, links: Map<number, PaperLink[]>): Map<number, PaperExtras> {
  const out = new Map<number, PaperExtras>();
  const get = (id: number): PaperExtras => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { ...NO_EXTRAS }));
    return e;
  };
  for (const s of summaries) {
    const e = get(s.paper_id);
    e.keyPhrases = jsonArray<string>(s.key_phrases) ?? [];
    e.tldr = s.tldr || undefined;
    e.aiSummary = s.ai_summary ?? undefined;
    e.aiKeywords = jsonArray<string>(s.ai_keywords);
  }
  for (const t of thumbnails) if (t.file && t.width && t.height) get(t.paper_id).thumbnail = { file: t.file, width: t.width, height: t.height };
  for (const h of hf) {
    get(h.paper_id).hf = {
      numComments: h.num_comments,
      submitterName: h.submitter_name,
      submitterFullname: h.submitter_fullname,
      githubRepo: h.github_repo,
      hiddenAuthors: jsonArray<number>(h.hidden_authors) ?? [],
    };
  }
  if (repos.length > 0) {
    const byUrl = new Map(repos.map((r) => [r.url, r]));
    for (const [id, ls] of links) {
      // The first code link is the paper's own repository far more often than a later one (a baseline, a library it uses).
      const first = ls.find((l) => l.kind === 'code');
      const best = first && byUrl.get(first.url);
      if (best) get(id).code = { url: best.url, fullName: best.full_name, stars: best.stars ?? 0, pushedAt: best.pushed_at };
    }
  }
  return out;
}
