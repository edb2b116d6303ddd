// Upvotes per paper per day (UTC), so trending over a week or a month adds up a few rows per paper
// instead of reading every vote of the window (src/community/votes.ts, countedVotesBetween).
// Triggers keep it in the transaction that inserts or deletes a vote — including deletions cascading
// from a paper or an account — so it cannot drift from the votes; a vote inserted twice is one row
// (the primary key), so it counts once. All votes are counted here; those of suspended accounts are
// taken off when the window is read, as countedVotes does.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vote_day')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('paper_id', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('vote_day_pk', ['day', 'paper_id'])
    .execute();
  await sql`INSERT INTO vote_day (day, paper_id, n) SELECT substr(created_at, 1, 10), paper_id, count(*) FROM vote GROUP BY substr(created_at, 1, 10), paper_id`.execute(db);

  if (dialectOf(db) === 'postgres') {
    await sql`CREATE FUNCTION vote_day_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE vote_day SET n = n - 1 WHERE day = substr(OLD.created_at, 1, 10) AND paper_id = OLD.paper_id;
        DELETE FROM vote_day WHERE day = substr(OLD.created_at, 1, 10) AND paper_id = OLD.paper_id AND n <= 0;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO vote_day (day, paper_id, n) VALUES (substr(NEW.created_at, 1, 10), NEW.paper_id, 1)
          ON CONFLICT (day, paper_id) DO UPDATE SET n = vote_day.n + 1;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
    await sql`CREATE TRIGGER vote_day_count AFTER INSERT OR UPDATE OR DELETE ON vote FOR EACH ROW EXECUTE FUNCTION vote_day_count()`.execute(db);
    return;
  }
  const add = sql.raw(`INSERT INTO vote_day (day, paper_id, n) VALUES (substr(NEW.created_at, 1, 10), NEW.paper_id, 1)
      ON CONFLICT (day, paper_id) DO UPDATE SET n = n + 1;`);
  const remove = sql.raw(`UPDATE vote_day SET n = n - 1 WHERE day = substr(OLD.created_at, 1, 10) AND paper_id = OLD.paper_id;
      DELETE FROM vote_day WHERE day = substr(OLD.created_at, 1, 10) AND paper_id = OLD.paper_id AND n <= 0;`);
  await sql`CREATE TRIGGER vote_day_insert AFTER INSERT ON vote BEGIN ${add} END`.execute(db);
  await sql`CREATE TRIGGER vote_day_delete AFTER DELETE ON vote BEGIN ${remove} END`.execute(db);
  await sql`CREATE TRIGGER vote_day_update AFTER UPDATE OF created_at, paper_id ON vote BEGIN ${remove} ${add} END`.execute(db);
}
