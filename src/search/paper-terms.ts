// Papers' analysed text stored as term ids (migration 0921), so re-scoring a query's few hundred
// candidates reads a short blob per paper and compares integers, instead of tokenising and stemming
// every candidate's abstract (which was half of a descriptive query's CPU: ~150 ns a token, ~250
// tokens a paper, 200–300 papers a query, most of them new to a process's cache).
//
// search_term numbers every term once (stems and folded unstemmed words share one numbering; a
// number never changes). paper_terms holds each paper's fields as varints (term-codec.ts), valid while the paper's
// content_hash is the one stored with them; a paper without a current row is analysed afresh by
// doc-texts.ts, so the rows only make search faster, never different. refreshPaperTerms fills them
// (the search-terms job, and the commands that import many papers).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { currentVersion } from '../store/change-version.ts';
import { dialectOf } from '../store/dialect.ts';
import { SEARCH_CHANNEL, SEARCH_INDEX_CHANNEL } from './result-cache.ts';
import { analysePaper, decodeAll, encodeTerms, type TermIds } from './term-codec.ts';

/**
 * Stored rows read lately, per database, kept (by bytes, encoded) while the search version stays the
 * same: that counter moves with every write to a paper (migration 0890), so until it does, no row
 * read can have gone stale. Any write drops them all, which costs what reading them cost.
 */
const readRows = new WeakMap<Db, { version: number; rows: ByteCache<number, Uint8Array> }>();

/** The rows kept at `version` (the current one): any other version's are dropped. */
function rowsAt(db: Db, version: number): ByteCache<number, Uint8Array> {
  let kept = readRows.get(db);
  if (!kept || kept.version !== version) readRows.set(db, (kept = { version, rows: budgetedCache('stored terms', (_id: number, b: Uint8Array) => b.byteLength + 16) }));
  return kept.rows;
}

/**
 * Keeps rows read elsewhere (SQLite: the walk that finds a query's matches reads their terms too)
 * for storedTerms, as it keeps its own. `version` is the search version read before the rows; a row
 * must be current as storedTerms reads them on SQLite (a null `terms`: none stored, nothing kept).
 */
export function keepStoredTerms(db: Db, version: number, rows: Array<{ id: number; terms: Uint8Array | null }>): void {
  // Read under an older version than the rows kept: they may be stale; a newer one drops the old.
  if ((readRows.get(db)?.version ?? version) > version) return;
  const kept = rowsAt(db, version);
  for (const r of rows) if (r.terms) kept.set(r.id, r.terms);
}

/** The stored terms of those of `ids` whose row matches the paper's current content. */
export async function storedTerms(db: Db, ids: number[]): Promise<Map<number, TermIds>> {
  const found = dialectOf(db) === 'sqlite' ? await storedRowsSqlite(db, ids) : await storedRowsPostgres(db, ids);
  const decoded = decodeAll(found.map(([, bytes]) => bytes));
  return new Map(found.map(([id], i) => [id, decoded[i]!]));
}

/** Rows kept under `kept` for `ids`, and the ids it does not hold. */
function fromKept(kept: ByteCache<number, Uint8Array>, ids: number[]): { found: Array<[number, Uint8Array]>; missing: number[] } {
  const found: Array<[number, Uint8Array]> = [];
  const missing: number[] = [];
  for (const id of ids) {
    const bytes = kept.get(id);
    if (bytes) found.push([id, bytes]);
    else missing.push(id);
  }
  return { found, missing };
}

async function storedRowsSqlite(db: Db, ids: number[]): Promise<Array<[number, Uint8Array]>> {
  // Read before the rows: rows read after it are at least as new as the version they are kept under.
  const version = await currentVersion(db, SEARCH_INDEX_CHANNEL);
  const kept = rowsAt(db, version);
  const { found, missing } = fromKept(kept, ids);
  for (let i = 0; i < missing.length; i += 500) {
    // A row is removed when its paper's text changes (migration 0922) and only stored while the paper
    // still has the hash it was analysed at (writes take turns there): a row is current.
    // Written out, as the term look-ups below: a statement of every search (the builder's ~0.1 ms).
    const { rows } = await sql<{ paper_id: number; terms: Uint8Array }>`SELECT paper_id, terms FROM paper_terms WHERE paper_id IN (${sql.join(missing.slice(i, i + 500))})`.execute(db);
    for (const r of rows) {
      found.push([r.paper_id, r.terms]);
      kept.set(r.paper_id, r.terms);
    }
  }
  return found;
}

/**
 * On PostgreSQL the version and the missing rows are one statement (a statement reads one snapshot,
 * so the rows are exactly as at that version): each is a round trip, and a descriptive query reads
 * rows twice. The rows kept are looked at under the version last seen; when the statement finds the
 * version moved, they are read again. Rows count only while the paper still has the hash they were
 * analysed at (a row could be stored just as another transaction changes the paper).
 */
async function storedRowsPostgres(db: Db, ids: number[]): Promise<Array<[number, Uint8Array]>> {
  const seen = readRows.get(db)?.version;
  if (seen === undefined) return readPostgresRows(db, ids);
  const { found, missing } = fromKept(rowsAt(db, seen), ids);
  if (missing.length === 0) {
    const version = await currentVersion(db, SEARCH_INDEX_CHANNEL);
    return version === seen ? found : readPostgresRows(db, ids);
  }
  const read = await readPostgresRows(db, missing);
  return readRows.get(db)?.version === seen ? [...found, ...read] : readPostgresRows(db, ids);
}

/**
 * The current rows of `ids`, kept under the version read with them. They come as one value, base64:
 * bytea comes back as hex text, whose decoding cost ~0.5 ms of this process's time for a hundred
 * rows (~70 kB), three times what base64's does.
 */
async function readPostgresRows(db: Db, ids: number[]): Promise<Array<[number, Uint8Array]>> {
  const { rows } = await sql<{ version: number | null; ids: number[] | null; lengths: number[] | null; terms: string | null }>`
    SELECT (SELECT version FROM change_version WHERE channel = ${SEARCH_INDEX_CHANNEL}) AS version,
      array_agg(t.paper_id ORDER BY t.paper_id) AS ids, array_agg(length(t.terms) ORDER BY t.paper_id) AS lengths,
      encode(string_agg(t.terms, ''::bytea ORDER BY t.paper_id), 'base64') AS terms
    FROM paper_terms t JOIN paper p ON p.id = t.paper_id AND p.content_hash = t.content_hash
    WHERE t.paper_id = ANY(${ids}::int[])`.execute(db);
  const row = rows[0];
  const kept = rowsAt(db, Number(row?.version ?? 0));
  const found: Array<[number, Uint8Array]> = [];
  if (!row?.ids || !row.lengths || row.terms === null) return found;
  const all = Buffer.from(row.terms, 'base64');
  let at = 0;
  row.ids.forEach((id, i) => {
    // A copy: a view would keep the whole answer alive for as long as any one row stays in the cache.
    const terms = new Uint8Array(all.subarray(at, (at += row.lengths![i]!)));
    found.push([id, terms]);
    kept.set(id, terms);
  });
  return found;
}

/** Ids already read, per database: a term's id never changes, so these need no invalidation. */
const knownIds = new WeakMap<Db, ByteCache<string, number>>();

/**
 * The ids of those `terms` that have one. `absent`, when given, holds terms already found to have
 * none, which are not asked again, and gets those found so now: one search's terms, asked for each
 * round of re-scoring (a term numbered meanwhile is in no paper this search read before).
 */
export async function termIdsOf(db: Db, terms: string[], absent?: Set<string>): Promise<Map<string, number>> {
  const asked = absent ? terms.filter((t) => !absent.has(t)) : terms;
  return throughCache(knownIdsOf(db), asked, async (missing) => {
    const { rows } = await sql<{ id: number; term: string }>`SELECT id, term FROM search_term WHERE term IN (${sql.join(missing)})`.execute(db);
    if (absent) {
      const found = new Set(rows.map((r) => r.term));
      for (const t of missing) if (!found.has(t)) absent.add(t);
    }
    return rows.map((r) => [r.term, r.id]);
  });
}

function knownIdsOf(db: Db): ByteCache<string, number> {
  let cache = knownIds.get(db);
  if (!cache) knownIds.set(db, (cache = budgetedCache('search terms', (t: string) => stringBytes(t) + 8)));
  return cache;
}

/** Terms already read by id, per database (ids never change, so neither does this). */
const knownTerms = new WeakMap<Db, ByteCache<number, string>>();

/** The term each of `ids` numbers. */
export async function termsOf(db: Db, ids: Iterable<number>): Promise<Map<number, string>> {
  let cache = knownTerms.get(db);
  if (!cache) knownTerms.set(db, (cache = budgetedCache('search terms', (_id: number, t: string) => stringBytes(t) + 8)));
  return throughCache(cache, ids, async (missing) => {
    const { rows } = await sql<{ id: number; term: string }>`SELECT id, term FROM search_term WHERE id IN (${sql.join(missing)})`.execute(db);
    // Known by name too: RM3 reads its strongest terms back as words, then asks for their ids.
    const byName = knownIdsOf(db);
    for (const r of rows) byName.set(r.term, r.id);
    return rows.map((r) => [r.id, r.term]);
  });
}

/** Each of `keys` found in `cache`, the rest read 500 at a time (a bound on bound parameters) and kept. */
async function throughCache<K, V>(cache: ByteCache<K, V>, keys: Iterable<K>, read: (missing: K[]) => Promise<Array<[K, V]>>): Promise<Map<K, V>> {
  const out = new Map<K, V>();
  const missing: K[] = [];
  for (const key of new Set(keys)) {
    const value = cache.get(key);
    if (value === undefined) missing.push(key);
    else out.set(key, value);
  }
  for (let i = 0; i < missing.length; i += 500) {
    for (const [key, value] of await read(missing.slice(i, i + 500))) {
      out.set(key, value);
      cache.set(key, value);
    }
  }
  return out;
}

/** Papers analysed per transaction. */
const BATCH = 500;
/** Ids looked at per statement while looking for papers to store (about 12 ms at 50,000). */
const SCAN_WINDOW = 50_000;

/** Per database, the search version at which the last refresh found every paper's row current. */
const settledAt = new WeakMap<Db, number>();

/**
 * Stores the analysed text of every paper without a current row (new, or changed since), in id
 * order, a batch per transaction; returns how many it stored. Safe beside other writers: terms are
 * inserted once (ON CONFLICT DO NOTHING) and a row is replaced whole.
 */
export async function refreshPaperTerms(db: Db, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; scanWindow?: number } = {}): Promise<number> {
  const window = options.scanWindow ?? SCAN_WINDOW;
  // Every write to a paper moves the search counter: unmoved since a run found nothing to do, there
  // is nothing to do (the scan still walks every paper's id and hash).
  const version = await currentVersion(db, SEARCH_CHANNEL);
  if (settledAt.get(db) === version) return 0;
  const total = options.onProgress ? await staleCount(db) : 0;
  let done = 0;
  let after = 0;
  const last = Number((await sql<{ id: number | null }>`SELECT max(id) AS id FROM paper`.execute(db)).rows[0]?.id ?? 0);
  const known = new Map<string, number>();
  for (;;) {
    options.signal?.throwIfAborted();
    // Ids and hashes only (paper_content_hash_idx, migration 0943), a window of ids per statement, so
    // no statement reads every paper's row, nor walks them all on the event loop at once.
    const stale = await withoutCurrentTerms(db).select('p.id')
      .where('p.id', '>', after).where('p.id', '<=', after + window)
      .orderBy('p.id').limit(BATCH).execute();
    if (stale.length === 0) {
      after += window;
      if (after < last) {
        await nextTurn();
        continue;
      }
      // Papers written meanwhile moved the counter past `version`: the next run looks again.
      settledAt.set(db, version);
      return done;
    }
    after = stale[stale.length - 1]!.id;
    const rows = await db.selectFrom('paper').select(['id', 'content_hash', 'title', 'abstract', 'authors_text'])
      .where('id', 'in', stale.map((r) => r.id)).orderBy('id').execute();
    const texts = rows.map((r) => analysePaper(r));
    await db.transaction().execute(async (tx) => {
      const ids = await assignIds(tx, known, texts.flatMap((t) => [...t.title, ...t.abstract, ...t.authors, ...t.titleWords, ...t.abstractWords]));
      const toIds = (a: string[]) => Int32Array.from(a, (t) => ids.get(t)!);
      for (const [i, r] of rows.entries()) {
        const t = texts[i]!;
        const terms = encodeTerms({ title: toIds(t.title), abstract: toIds(t.abstract), authors: toIds(t.authors), titleWords: toIds(t.titleWords), abstractWords: toIds(t.abstractWords) });
        // Only while the paper is still as it was read: one changed since waits for the next run.
        await tx.insertInto('paper_terms').columns(['paper_id', 'content_hash', 'terms'])
          .expression((eb) => eb.selectFrom('paper').select(['id', 'content_hash', eb.val(terms).as('terms')]).where('id', '=', r.id).where('content_hash', '=', r.content_hash))
          .onConflict((oc) => oc.column('paper_id').doUpdateSet((eb) => ({ content_hash: eb.ref('excluded.content_hash'), terms: eb.ref('excluded.terms') })))
          .execute();
      }
    });
    done += rows.length;
    options.onProgress?.(done, Math.max(total, done));
    // Between batches, requests run: this job runs inside the server's process after a harvest.
    await nextTurn();
  }
}

/** Papers without a current row. */
export async function staleCount(db: Db): Promise<number> {
  const row = await withoutCurrentTerms(db).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Papers without a current row, as a query to select from (read through paper_content_hash_idx). */
function withoutCurrentTerms(db: Db) {
  return db.selectFrom('paper as p').leftJoin('paper_terms as t', 't.paper_id', 'p.id')
    .where((eb) => eb.or([eb('t.paper_id', 'is', null), eb('t.content_hash', '<>', eb.ref('p.content_hash'))]));
}

/**
 * Every term's id, numbering the new ones. `known` carries ids across one refresh's batches; it is
 * emptied past KNOWN_MAX terms (a million papers hold millions of rare ones).
 */
async function assignIds(tx: Db, known: Map<string, number>, terms: string[]): Promise<Map<string, number>> {
  if (known.size > KNOWN_MAX) known.clear();
  const distinct = [...new Set(terms)];
  const ask = async (ts: string[]) => {
    for (let i = 0; i < ts.length; i += 500) {
      const rows = await tx.selectFrom('search_term').select(['id', 'term']).where('term', 'in', ts.slice(i, i + 500)).execute();
      for (const r of rows) known.set(r.term, r.id);
    }
  };
  await ask(distinct.filter((t) => !known.has(t)));
  const fresh = distinct.filter((t) => !known.has(t));
  for (let i = 0; i < fresh.length; i += 500) {
    await tx.insertInto('search_term').values(fresh.slice(i, i + 500).map((term) => ({ term }))).onConflict((oc) => oc.column('term').doNothing()).execute();
  }
  await ask(fresh);
  return known;
}

const KNOWN_MAX = 200_000;
