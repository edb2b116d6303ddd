// Papers by id on PostgreSQL in one statement: the paper rows with their links and extras beside them.
// SQLite answers the seven lookups (papers, links, four extras, repositories) in process in well under
// a millisecond; on PostgreSQL each is a round trip to the server (~0.3 ms of CPU on both sides, and
// a wait for each to be scheduled on a busy machine), and a search result page made six of them in
// three rounds. The rows are turned into papers by the same functions as the other dialect's.
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import type { ExtrasRows } from './extras.ts';
import { extrasFromRows, NO_EXTRAS } from './extras.ts';
import type { LinkKind, PaperLink } from './links.ts';
import { paperFromRow, type Paper, type PaperRow } from './paper.ts';

type Row = PaperRow & {
  links_: Array<{ kind: string; url: string }>;
  summary_: ExtrasRows['summaries'][number] | null;
  thumbnail_: ExtrasRows['thumbnails'][number] | null;
  hf_: ExtrasRows['hf'][number] | null;
  repo_: ExtrasRows['repos'][number] | null;
};

/** The papers with these ids, in no particular order (absent ids are left out). */
export async function findPapersByIdsPostgres(db: Db, ids: number[]): Promise<Paper[]> {
  const { rows } = await sql<Row>`SELECT p.*,
      coalesce((SELECT json_agg(json_build_object('kind', l.kind, 'url', l.url) ORDER BY l.position) FROM paper_link l WHERE l.paper_id = p.id), '[]') AS links_,
      (SELECT row_to_json(x) FROM (SELECT s.paper_id, s.key_phrases, s.tldr, s.ai_summary, s.ai_keywords FROM paper_summary s WHERE s.paper_id = p.id) x) AS summary_,
      (SELECT row_to_json(x) FROM (SELECT t.paper_id, t.file, t.width, t.height FROM paper_thumbnail t WHERE t.paper_id = p.id AND t.status = 'ready') x) AS thumbnail_,
      (SELECT row_to_json(x) FROM (SELECT h.paper_id, h.num_comments, h.submitter_name, h.submitter_fullname, h.github_repo, h.hidden_authors
        FROM paper_hf h WHERE h.paper_id = p.id) x) AS hf_,
      -- The repository of the paper's first code link, as extrasFromRows picks it.
      (SELECT row_to_json(x) FROM (SELECT r.url, r.full_name, r.stars, r.pushed_at FROM code_repo r WHERE r.status = 'ok'
        AND r.url = (SELECT l.url FROM paper_link l WHERE l.paper_id = p.id AND l.kind = 'code' ORDER BY l.position LIMIT 1)) x) AS repo_
    FROM paper p WHERE p.id = ANY(${ids}::int[])`.execute(db);
  const links = new Map<number, PaperLink[]>();
  const extras: ExtrasRows = { summaries: [], thumbnails: [], hf: [], repos: [] };
  const papers = rows.map(({ links_, summary_, thumbnail_, hf_, repo_, ...row }) => {
    links.set(row.id, links_.map((l) => ({ kind: l.kind as LinkKind, url: l.url })));
    if (summary_) extras.summaries.push(summary_);
    if (thumbnail_) extras.thumbnails.push(thumbnail_);
    if (hf_) extras.hf.push(hf_);
    if (repo_) extras.repos.push(repo_);
    return row;
  });
  const byPaper = extrasFromRows(extras, links);
  return papers.map((row) => ({ ...paperFromRow(row, links.get(row.id) ?? []), extras: byPaper.get(row.id) ?? NO_EXTRAS }));
}
