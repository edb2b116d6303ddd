// A paper's stored terms (0921) are removed as soon as its analysed text changes, so on SQLite a
// search can read them without first checking each paper's content_hash (that check read the wide
// paper row of every candidate: a third of reading the terms). PostgreSQL keeps the check: there a
// writer could store a row just as the paper changes in another transaction (src/search/paper-terms.ts).
// Rows already stale when this runs are removed here.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM paper_terms WHERE NOT EXISTS
    (SELECT 1 FROM paper p WHERE p.id = paper_terms.paper_id AND p.content_hash = paper_terms.content_hash)`.execute(db);
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE FUNCTION paper_terms_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM paper_terms WHERE paper_id = OLD.id;
      RETURN NULL;
    END $$`.execute(db);
    await sql`CREATE TRIGGER paper_terms_stale AFTER UPDATE OF title, abstract, authors_text, content_hash ON paper
      FOR EACH ROW EXECUTE FUNCTION paper_terms_stale()`.execute(db);
    return;
  }
  await sql`CREATE TRIGGER paper_terms_stale AFTER UPDATE OF title, abstract, authors_text, content_hash ON paper
    BEGIN DELETE FROM paper_terms WHERE paper_id = old.id; END`.execute(db);
}
