// A keyword query and its filters as SQLite SQL: the FTS5 MATCH expression (double-quoted tokens
// only, so nothing a user types is read as FTS5 syntax) and the filters as conditions on a paper id,
// each as a set built once or as a test of one paper's own rows, whichever reads less.
import { sql, type RawBuilder, type Sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { hiddenPaperIds } from '../community/index.ts';
import { hasFilters } from './top-lists.sqlite.ts';
import { dfCacheOf, docFreqsOf } from './doc-freq.sqlite.ts';
import { porterStem } from './porter.ts';
import type { Clause, KeywordQuery, SearchFilters } from './keyword.ts';

/**
 * Column weights for FTS5's bm25() (title, abstract, authors). A title word is worth two abstract
 * words: titles are short and chosen to say what the paper is about (measured on SciFact: 1 → 2
 * gains ~+0.01 nDCG@10, 3 is no better). Authors count as plainly as abstract words.
 */
export const FTS_WEIGHTS = { title: 2, abstract: 1, authors: 1 } as const;

const COLUMN: Record<Clause['field'], string> = { any: '', title: 'title : ', authors: 'authors_text : ' };

function clauseToFts(c: Clause): string {
  // Tokens are letters and digits only (see analyze.ts), so quoting them is enough.
  return `${COLUMN[c.field]}"${c.tokens.join(' ')}"`;
}

/** The MATCH expression for the positive part, or undefined when there is none. */
export function matchExpression(q: KeywordQuery): string | undefined {
  const parts = q.must.map(clauseToFts);
  if (q.should.length > 0) parts.push(`(${q.should.map(clauseToFts).join(' OR ')})`);
  if (parts.length === 0) return undefined;
  const positive = parts.join(' AND ');
  return q.mustNot.length > 0 ? `(${positive}) NOT (${q.mustNot.map(clauseToFts).join(' OR ')})` : positive;
}

/** Which filters are tested on each matching paper's own rows instead of as a set built first. */
interface PerRow {
  dates: boolean;
  categories: boolean;
  code: boolean;
}

const AS_SETS: PerRow = { dates: false, categories: false, code: false };

/**
 * Each filter of the form in its two shapes: the set of paper ids it names, and a test on one paper's
 * own rows through their keys.
 */
function filterForms(f: SearchFilters): Array<{ kind: keyof PerRow; set: RawBuilder<unknown>; row: (id: Sql | RawBuilder<unknown>) => RawBuilder<unknown> }> {
  const out: ReturnType<typeof filterForms> = [];
  if (f.since || f.until) {
    const since = f.since ?? '0000-00-00';
    const until = f.until ?? '9999-99-99';
    out.push({
      kind: 'dates',
      set: sql`SELECT id FROM paper WHERE announced_on >= ${since} AND announced_on <= ${until}`,
      row: (id) => sql`EXISTS (SELECT 1 FROM paper d WHERE d.id = ${id} AND d.announced_on >= ${since} AND d.announced_on <= ${until})`,
    });
  }
  if (f.categories.length > 0) {
    out.push({
      kind: 'categories',
      set: sql`SELECT paper_id FROM paper_category WHERE category IN (${sql.join(f.categories)})`,
      row: (id) => sql`EXISTS (SELECT 1 FROM paper_category c WHERE c.paper_id = ${id} AND c.category IN (${sql.join(f.categories)}))`,
    });
  }
  if (f.hasCode) {
    out.push({
      kind: 'code',
      set: sql`SELECT paper_id FROM paper_link WHERE kind = 'code'`,
      row: (id) => sql`EXISTS (SELECT 1 FROM paper_link l WHERE l.paper_id = ${id} AND l.kind = 'code')`,
    });
  }
  return out;
}

/**
 * The filters as conditions on a paper id. Beside an FTS5 MATCH they test membership of a set built
 * once per query (`+id IN (subquery)`: the unary plus stops SQLite from handing the IN to FTS5 as a
 * rowid lookup per value), which costs far less than joining the wide paper row for every match —
 * unless the set is larger than the matches: then each match is tested by its keys (`perRow`, see
 * filterPlan).
 */
export function filterSql(db: Db, q: KeywordQuery, f: SearchFilters, positive: boolean, id: Sql | RawBuilder<unknown>, perRow: PerRow = AS_SETS): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [];
  for (const filter of filterForms(f)) conds.push(perRow[filter.kind] ? filter.row(id) : sql`+${id} IN (${filter.set})`);
  // Exclusions alone cannot drive FTS5 (it has no pure NOT): apply them as a subquery instead.
  if (!positive && q.mustNot.length > 0) {
    conds.push(sql`+${id} NOT IN (SELECT rowid FROM paper_fts WHERE paper_fts MATCH ${q.mustNot.map(clauseToFts).join(' OR ')})`);
  }
  conds.push(sql`+${id} NOT IN (${hiddenPaperIds(db)})`);
  return sql.join(conds, sql` AND `);
}

/**
 * For a query with words: each filter whose set holds more papers than the query can match is tested
 * per match instead (an index probe, ~1 µs) — "cad" in cs.CV at a million papers tested ~40 matches
 * rather than first collecting cs.CV's ~150,000 papers (~100 ms). The matches are bounded by the
 * vocabulary (a required word's papers, or all the optional words' together); each set's size is
 * counted only up to that bound.
 */
export async function filterPlan(db: Db, q: KeywordQuery, f: SearchFilters): Promise<PerRow> {
  if (!hasFilters(f)) return AS_SETS;
  const bound = await matchBound(db, q);
  if (bound === Infinity) return AS_SETS;
  const plan = { ...AS_SETS };
  for (const filter of filterForms(f)) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${filter.set} LIMIT ${bound + 1})`.execute(db);
    plan[filter.kind] = Number(rows[0]?.n ?? 0) > bound;
  }
  return plan;
}

/** At most how many papers the query's words can match (Infinity without words). */
export async function matchBound(db: Db, q: KeywordQuery): Promise<number> {
  const docFreq = await docFreqsOf(db, await dfCacheOf(db), [...q.must, ...q.should].flatMap((c) => c.tokens.map(porterStem)));
  const clauseBound = (c: Clause) => {
    let least = Infinity;
    for (const t of c.tokens) least = Math.min(least, docFreq.get(porterStem(t))!);
    return least;
  };
  if (q.must.length > 0) {
    let least = Infinity;
    for (const c of q.must) least = Math.min(least, clauseBound(c));
    return least;
  }
  let sum = q.should.length > 0 ? 0 : Infinity;
  for (const c of q.should) sum += clauseBound(c);
  return sum;
}

/** No filter at all. */
export const NO_FILTERS: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };

/**
 * Which of a few papers pass the filters, each tested on its own rows (EXISTS through the primary
 * keys) rather than by building the whole set a filter names, which for a big category is most of it.
 */
export async function passingFilters(db: Db, f: SearchFilters, ids: number[]): Promise<Set<number>> {
  const conds = [sql`p.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`, ...filterForms(f).map((filter) => filter.row(sql`p.id`))];
  const { rows } = await sql<{ id: number }>`SELECT p.id AS id FROM paper p WHERE ${sql.join(conds, sql` AND `)}`.execute(db);
  return new Set(rows.map((r) => r.id));
}
