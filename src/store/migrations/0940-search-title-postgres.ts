// Titles as their own full-text index on PostgreSQL (SQLite's FTS5 filters a column from its own
// index). A GIN index does not record which field (weight) a lexeme came from, so a title-only query
// on paper_search (`word:A`) fetched and re-checked the whole document of every paper holding the
// words anywhere: 290 ms for "large language models" at 75,000 papers, run for every short query to
// find remembered titles. A narrow side table of title vectors answers the same in ~13 ms. Kept by
// the same trigger as paper_search, so every write path keeps both current.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  // The same lexemes at the same positions as the title part (weight A) of paper_search.document.
  await sql`CREATE TABLE paper_search_title (
    paper_id integer PRIMARY KEY REFERENCES paper(id) ON DELETE CASCADE,
    document tsvector NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX paper_search_title_document_idx ON paper_search_title USING gin (document)`.execute(db);
  await sql`CREATE OR REPLACE FUNCTION paper_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO paper_search (paper_id, document, title_len, abstract_len, authors_len)
    VALUES (
      NEW.id,
      paper_search_document(NEW.title, NEW.abstract, NEW.authors_text),
      paper_search_words(NEW.title), paper_search_words(NEW.abstract), paper_search_words(NEW.authors_text))
    ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document, title_len = EXCLUDED.title_len,
      abstract_len = EXCLUDED.abstract_len, authors_len = EXCLUDED.authors_len;
    INSERT INTO paper_search_title (paper_id, document) VALUES (NEW.id, to_tsvector('english', NEW.title))
    ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
  END $$`.execute(db);
  await sql`INSERT INTO paper_search_title (paper_id, document) SELECT id, to_tsvector('english', title) FROM paper`.execute(db);
  await sql`ANALYZE paper_search_title`.execute(db);
}
