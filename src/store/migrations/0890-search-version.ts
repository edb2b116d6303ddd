// A change counter for everything a search result depends on — papers (text, dates, imported
// upvotes), their categories and links (the filters), moderation (hidden papers) and the extras a
// result shows (summary, thumbnail, Hugging Face facts, code repository) — so results can be reused
// until one of them changes (src/search/result-cache.ts). Triggers keep it, like the
// keyword index's own triggers, so no write path has to remember it. On PostgreSQL the triggers run
// once per statement, so a batch of upserts bumps it once, not once per row.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

const SEARCH_CHANNEL = 'search';
const TABLES = ['paper', 'paper_category', 'paper_link', 'paper_moderation', 'paper_summary', 'paper_thumbnail', 'paper_hf', 'code_repo'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO change_version (channel, version) VALUES (${SEARCH_CHANNEL}, 1) ON CONFLICT (channel) DO NOTHING`.execute(db);
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE FUNCTION search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE change_version SET version = version + 1 WHERE channel = 'search';
      RETURN NULL;
    END $$`.execute(db);
    for (const table of TABLES) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_search_version`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION search_version_bump()`.execute(db);
    }
    return;
  }
  for (const table of TABLES) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_search_version_${event.toLowerCase()}`)} AFTER ${sql.raw(event)} ON ${sql.table(table)}
        BEGIN UPDATE change_version SET version = version + 1 WHERE channel = 'search'; END`.execute(db);
    }
  }
}
