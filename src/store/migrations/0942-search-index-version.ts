// A second search counter, for what the keyword index itself holds: papers' words and which papers
// are visible. The first (0890) also moves on every write to what a result only shows — summaries,
// thumbnails, Hugging Face upvotes, code links, categories — and a summary backfill or an upvote
// sync made the top lists stale and emptied the document-frequency and stored-terms caches with
// every batch, though none of those changes a word's ranking. Those key on this counter instead.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

const CHANNEL = 'search-index';
/** Columns the index reads (0501, 0502) and whether a paper is listed at all. */
const PAPER_COLUMNS = 'title, abstract, authors_text, withdrawn';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO change_version (channel, version) VALUES (${CHANNEL}, 1) ON CONFLICT (channel) DO NOTHING`.execute(db);
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE FUNCTION search_index_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE change_version SET version = version + 1 WHERE channel = 'search-index';
      RETURN NULL;
    END $$`.execute(db);
    for (const [name, event, table] of [
      ['paper_index_version_insert_delete', 'INSERT OR DELETE', 'paper'],
      ['paper_index_version_update', `UPDATE OF ${PAPER_COLUMNS}`, 'paper'],
      ['paper_moderation_index_version', 'INSERT OR UPDATE OR DELETE', 'paper_moderation'],
    ]) {
      await sql`CREATE TRIGGER ${sql.raw(name!)} AFTER ${sql.raw(event!)} ON ${sql.table(table!)}
        FOR EACH STATEMENT EXECUTE FUNCTION search_index_version_bump()`.execute(db);
    }
    return;
  }
  const bump = sql.raw(`UPDATE change_version SET version = version + 1 WHERE channel = '${CHANNEL}';`);
  for (const [name, event, table] of [
    ['paper_index_version_insert', 'INSERT', 'paper'],
    ['paper_index_version_delete', 'DELETE', 'paper'],
    ['paper_index_version_update', `UPDATE OF ${PAPER_COLUMNS}`, 'paper'],
    ['paper_moderation_index_version_insert', 'INSERT', 'paper_moderation'],
    ['paper_moderation_index_version_update', 'UPDATE', 'paper_moderation'],
    ['paper_moderation_index_version_delete', 'DELETE', 'paper_moderation'],
  ]) {
    await sql`CREATE TRIGGER ${sql.raw(name!)} AFTER ${sql.raw(event!)} ON ${sql.table(table!)} BEGIN ${bump} END`.execute(db);
  }
}
