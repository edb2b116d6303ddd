// The keyword index on PostgreSQL (SQLite has FTS5 from 0501; this does nothing there). A side table
// holds each paper's weighted tsvector — title A, abstract B, authors C, English stemming — and its
// field lengths in words, kept in step by a trigger like the FTS5 triggers, so every write path keeps
// it current. A separate table, not a column of paper, so `SELECT *` of papers never drags it along.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`CREATE TABLE paper_search (
    paper_id integer PRIMARY KEY REFERENCES paper(id) ON DELETE CASCADE,
    document tsvector NOT NULL,
    title_len integer NOT NULL,
    abstract_len integer NOT NULL,
    authors_len integer NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX paper_search_document_idx ON paper_search USING gin (document)`.execute(db);
  // Word counts split the way search/analyze.ts tokenizes (letters and digits), for BM25F's length norms.
  await sql`CREATE FUNCTION paper_search_words(t text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT count(*)::integer FROM regexp_split_to_table(t, '[^[:alnum:]]+') AS w WHERE w <> ''
  $$`.execute(db);
  // Each field after the first starts with a stop word, which takes a position but leaves no lexeme:
  // `||` continues positions where the previous field ended, and without the gap a phrase could match
  // across the end of the title and the start of the abstract.
  await sql`CREATE FUNCTION paper_search_document(title text, abstract text, authors text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', 'the ' || abstract), 'B') ||
      setweight(to_tsvector('english', 'the ' || authors), 'C')
  $$`.execute(db);
  await sql`CREATE FUNCTION paper_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO paper_search (paper_id, document, title_len, abstract_len, authors_len)
    VALUES (
      NEW.id,
      paper_search_document(NEW.title, NEW.abstract, NEW.authors_text),
      paper_search_words(NEW.title), paper_search_words(NEW.abstract), paper_search_words(NEW.authors_text))
    ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document, title_len = EXCLUDED.title_len,
      abstract_len = EXCLUDED.abstract_len, authors_len = EXCLUDED.authors_len;
    RETURN NULL;
  END $$`.execute(db);
  await sql`CREATE TRIGGER paper_search_after_insert AFTER INSERT ON paper FOR EACH ROW EXECUTE FUNCTION paper_search_sync()`.execute(db);
  // Only text changes touch the index; votes, withdrawal and other columns do not.
  await sql`CREATE TRIGGER paper_search_after_update AFTER UPDATE OF title, abstract, authors_text ON paper
    FOR EACH ROW EXECUTE FUNCTION paper_search_sync()`.execute(db);
  // Papers already stored.
  await sql`INSERT INTO paper_search (paper_id, document, title_len, abstract_len, authors_len)
    SELECT id,
      paper_search_document(title, abstract, authors_text),
      paper_search_words(title), paper_search_words(abstract), paper_search_words(authors_text)
    FROM paper`.execute(db);
}
