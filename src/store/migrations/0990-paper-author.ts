// Author names as rows, one per name on a paper, indexed by name: an author page looks up a name
// instead of scanning every paper's author list (about 100 ms of CPU per page at 75,000 papers).
// Triggers keep it from paper.authors (a JSON array), so no write path has to remember it.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('paper_author')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_author_pk', ['paper_id', 'position'])
    .execute();
  await db.schema.createIndex('paper_author_name_idx').on('paper_author').columns(['name', 'paper_id']).execute();

  if (dialectOf(db) === 'postgres') {
    await sql`INSERT INTO paper_author (paper_id, position, name)
      SELECT p.id, a.ordinality - 1, a.value FROM paper p, jsonb_array_elements_text(p.authors::jsonb) WITH ORDINALITY AS a(value, ordinality)`.execute(db);
    await sql`CREATE FUNCTION paper_author_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.authors IS NOT DISTINCT FROM OLD.authors THEN RETURN NULL; END IF;
      DELETE FROM paper_author WHERE paper_id = NEW.id;
      INSERT INTO paper_author (paper_id, position, name)
        SELECT NEW.id, a.ordinality - 1, a.value FROM jsonb_array_elements_text(NEW.authors::jsonb) WITH ORDINALITY AS a(value, ordinality);
      RETURN NULL;
    END $$`.execute(db);
    await sql`CREATE TRIGGER paper_author_sync AFTER INSERT OR UPDATE OF authors ON paper FOR EACH ROW EXECUTE FUNCTION paper_author_sync()`.execute(db);
    return;
  }
  await sql`INSERT INTO paper_author (paper_id, position, name) SELECT p.id, a.key, a.value FROM paper p, json_each(p.authors) a`.execute(db);
  await sql`CREATE TRIGGER paper_author_insert AFTER INSERT ON paper BEGIN
    INSERT INTO paper_author (paper_id, position, name) SELECT NEW.id, a.key, a.value FROM json_each(NEW.authors) a;
  END`.execute(db);
  await sql`CREATE TRIGGER paper_author_update AFTER UPDATE OF authors ON paper WHEN NEW.authors IS NOT OLD.authors BEGIN
    DELETE FROM paper_author WHERE paper_id = NEW.id;
    INSERT INTO paper_author (paper_id, position, name) SELECT NEW.id, a.key, a.value FROM json_each(NEW.authors) a;
  END`.execute(db);
}
