// A change counter for everything the shared pages show — papers and their extras, votes, submissions,
// pins, moderation, comments and the names and suspensions of the people behind them — so rendered
// pages are reused until one of them changes (src/http/page-cache.ts). Triggers keep it, so no write
// path has to remember it. On PostgreSQL they run once per statement and announce the new version
// with NOTIFY, which every process's watcher receives at commit (src/store/change-version.ts).
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

const PAGES_CHANNEL = 'pages';
const TABLES = [
  'paper', 'paper_category', 'paper_link', 'paper_moderation', 'paper_summary', 'paper_thumbnail', 'paper_hf', 'code_repo',
  'vote', 'submission', 'paper_pin', 'comment', 'discussion_lock', 'author_claim', 'user_profile',
];
// Sign-ins update user_account too; only what pages show (names, suspensions that discount votes) counts.
const USER_COLUMNS = 'display_name, suspended_at';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO change_version (channel, version) VALUES (${PAGES_CHANNEL}, 1) ON CONFLICT (channel) DO NOTHING`.execute(db);
  if (dialectOf(db) === 'postgres') {
    // The payload matches bumpVersion's "channel:version".
    await sql`CREATE FUNCTION pages_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE v integer;
    BEGIN
      UPDATE change_version SET version = version + 1 WHERE channel = 'pages' RETURNING version INTO v;
      -- No row while a copy refills the tables (store/transfer.ts): nothing to announce then.
      IF v IS NOT NULL THEN PERFORM pg_notify('paperboy_change', 'pages:' || v); END IF;
      RETURN NULL;
    END $$`.execute(db);
    for (const table of TABLES) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_pages_version`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION pages_version_bump()`.execute(db);
    }
    await sql`CREATE TRIGGER user_account_pages_version AFTER UPDATE OF ${sql.raw(USER_COLUMNS)} ON user_account
      FOR EACH STATEMENT EXECUTE FUNCTION pages_version_bump()`.execute(db);
    return;
  }
  const bump = sql.raw(`UPDATE change_version SET version = version + 1 WHERE channel = '${PAGES_CHANNEL}';`);
  for (const table of TABLES) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_pages_version_${event.toLowerCase()}`)} AFTER ${sql.raw(event)} ON ${sql.table(table)}
        BEGIN ${bump} END`.execute(db);
    }
  }
  await sql`CREATE TRIGGER user_account_pages_version AFTER UPDATE OF ${sql.raw(USER_COLUMNS)} ON user_account BEGIN ${bump} END`.execute(db);
}
