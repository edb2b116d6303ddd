// What changed for the shared pages, paper by paper: the triggers of migration 0900 only counted
// changes, so one upvote made every rendered page stale. These replace them: each write still bumps
// the "pages" version, and also logs which papers it touched at that version, with the day a paper is
// listed on when the row says it (a pin's day, a submission's day, a paper's announcement) and how
// far the change reaches (CHANGE_LEVEL in src/store/page-change.ts):
//   1 the paper and the listings of its days (votes, comments, claims, discussion locks, and the
//     extras its cards show: summary, thumbnail, Hugging Face facts, code stars);
//   2 also any search or text-based list (the paper's text, categories and links: what searches match and filter on);
//   3 also which papers are listed where (new or removed papers, submissions, pins, hiding);
//   4 every page (paper_id 0: names and suspensions of people, profiles).
// The version row is locked by the bump until commit, so versions follow commit order and a reader
// that sees version V sees every log row up to V. On PostgreSQL the triggers run once per statement
// over its transition tables and skip statements that changed no row.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

interface Logged {
  table: string;
  /** The paper a row belongs to, as SQL over the row alias `r`. */
  paper: string;
  /** The listed day the row names, or NULL. */
  day: string;
  level: number;
  /** Joins for rows that reach papers through another table (code_repo through paper_link). */
  via?: string;
}

const LOGGED: Logged[] = [
  { table: 'paper', paper: 'r.id', day: 'r.announced_on', level: 2 },
  { table: 'paper_category', paper: 'r.paper_id', day: 'NULL', level: 2 },
  { table: 'paper_link', paper: 'r.paper_id', day: 'NULL', level: 2 },
  { table: 'paper_summary', paper: 'r.paper_id', day: 'NULL', level: 1 },
  { table: 'paper_thumbnail', paper: 'r.paper_id', day: 'NULL', level: 1 },
  { table: 'paper_hf', paper: 'r.paper_id', day: 'NULL', level: 1 },
  { table: 'code_repo', paper: 'l.paper_id', day: 'NULL', level: 1, via: 'JOIN paper_link l ON l.url = r.url' },
  { table: 'paper_moderation', paper: 'r.paper_id', day: 'NULL', level: 3 },
  { table: 'submission', paper: 'r.paper_id', day: 'r.listed_on', level: 3 },
  { table: 'paper_pin', paper: 'r.paper_id', day: 'r.day', level: 3 },
  { table: 'vote', paper: 'r.paper_id', day: 'NULL', level: 1 },
  { table: 'comment', paper: 'r.paper_id', day: 'NULL', level: 1 },
  { table: 'discussion_lock', paper: 'r.paper_id', day: 'NULL', level: 1 },
  { table: 'author_claim', paper: 'r.paper_id', day: 'NULL', level: 1 },
];
const OLD_TABLES = [...LOGGED.map((l) => l.table), 'user_profile'];
const USER_COLUMNS = 'display_name, suspended_at';

/** A paper row added or removed changes which papers are listed: level 3, not the update's 2. */
const levelFor = (l: Logged, op: 'insert' | 'update' | 'delete') => (l.table === 'paper' && op !== 'update' ? 3 : l.level);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('page_change')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('paper_id', 'integer', (c) => c.notNull())
    .addColumn('day', 'text')
    .addColumn('level', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_change_version_idx').on('page_change').column('version').execute();
  // How far the log has been pruned: a reader behind it treats the gap as a change to everything.
  await sql`INSERT INTO change_version (channel, version) VALUES ('pages_pruned', 0) ON CONFLICT (channel) DO NOTHING`.execute(db);
  if (dialectOf(db) === 'postgres') return upPostgres(db);

  for (const table of OLD_TABLES) {
    for (const event of ['insert', 'update', 'delete']) await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_pages_version_${event}`)}`.execute(db);
  }
  await sql`DROP TRIGGER IF EXISTS user_account_pages_version`.execute(db);
  const bump = `UPDATE change_version SET version = version + 1 WHERE channel = 'pages';`;
  // Only when the version row exists: a copy refilling the tables (store/transfer.ts) has none.
  const log = (l: Logged, row: 'NEW' | 'OLD', level: number) => {
    const pick = (expr: string) => expr.replace(/\br\./g, `${row}.`);
    const via = l.via ? l.via.replace(/\br\./g, `${row}.`) : '';
    return `INSERT INTO page_change (version, paper_id, day, level)
      SELECT c.version, ${pick(l.paper)}, ${pick(l.day)}, ${level} FROM change_version c ${via} WHERE c.channel = 'pages';`;
  };
  for (const l of LOGGED) {
    await sql`CREATE TRIGGER ${sql.raw(`${l.table}_page_change_insert`)} AFTER INSERT ON ${sql.table(l.table)}
      BEGIN ${sql.raw(bump)} ${sql.raw(log(l, 'NEW', levelFor(l, 'insert')))} END`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${l.table}_page_change_delete`)} AFTER DELETE ON ${sql.table(l.table)}
      BEGIN ${sql.raw(bump)} ${sql.raw(log(l, 'OLD', levelFor(l, 'delete')))} END`.execute(db);
    // An update logs the row as it was too, when that names another paper or day.
    const moved = `${l.paper.replace(/\br\./g, 'OLD.')} IS NOT ${l.paper.replace(/\br\./g, 'NEW.')} OR ${l.day.replace(/\br\./g, 'OLD.')} IS NOT ${l.day.replace(/\br\./g, 'NEW.')}`;
    const oldRow = l.via ? '' : log(l, 'OLD', l.level).replace(`WHERE c.channel = 'pages';`, `WHERE c.channel = 'pages' AND (${moved});`);
    await sql`CREATE TRIGGER ${sql.raw(`${l.table}_page_change_update`)} AFTER UPDATE ON ${sql.table(l.table)}
      BEGIN ${sql.raw(bump)} ${sql.raw(log(l, 'NEW', levelFor(l, 'update')))} ${sql.raw(oldRow)} END`.execute(db);
  }
  const everything = `INSERT INTO page_change (version, paper_id, day, level) SELECT version, 0, NULL, 4 FROM change_version WHERE channel = 'pages';`;
  for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
    await sql`CREATE TRIGGER ${sql.raw(`user_profile_page_change_${event.toLowerCase()}`)} AFTER ${sql.raw(event)} ON user_profile
      BEGIN ${sql.raw(bump)} ${sql.raw(everything)} END`.execute(db);
  }
  // Sign-ins update user_account too; only what pages show (names, suspensions that discount votes) counts.
  await sql`CREATE TRIGGER user_account_page_change AFTER UPDATE OF ${sql.raw(USER_COLUMNS)} ON user_account
    BEGIN ${sql.raw(bump)} ${sql.raw(everything)} END`.execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  for (const table of [...OLD_TABLES, 'user_account']) await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_pages_version`)} ON ${sql.table(table)}`.execute(db);
  await sql`DROP FUNCTION IF EXISTS pages_version_bump()`.execute(db);
  // Bumps the version (locking its row until commit) and announces it; NULL when there is no row.
  await sql`CREATE FUNCTION page_change_bump() RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE v integer;
    BEGIN
      UPDATE change_version SET version = version + 1 WHERE channel = 'pages' RETURNING version INTO v;
      IF v IS NOT NULL THEN PERFORM pg_notify('paperboy_change', 'pages:' || v); END IF;
      RETURN v;
    END $$`.execute(db);
  for (const l of LOGGED) {
    const rows = (from: string, level: number) => `SELECT v, ${l.paper}, ${l.day}, ${level} FROM ${from} r ${l.via ?? ''}`;
    const name = `${l.table}_page_change`;
    // Transition tables need one trigger per event; one function serves the three, by TG_OP.
    await sql`CREATE FUNCTION ${sql.raw(name)}() RETURNS trigger LANGUAGE plpgsql AS ${sql.raw(`$$
    DECLARE v integer;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        v := page_change_bump();
        IF v IS NOT NULL THEN INSERT INTO page_change (version, paper_id, day, level) SELECT DISTINCT * FROM (${rows('new_rows', levelFor(l, 'insert'))}) x; END IF;
      ELSIF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        v := page_change_bump();
        IF v IS NOT NULL THEN INSERT INTO page_change (version, paper_id, day, level) SELECT DISTINCT * FROM (${rows('old_rows', levelFor(l, 'delete'))}) x; END IF;
      ELSE
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        v := page_change_bump();
        IF v IS NOT NULL THEN INSERT INTO page_change (version, paper_id, day, level)
          ${rows('new_rows', levelFor(l, 'update'))} UNION ${rows('old_rows', l.level)}; END IF;
      END IF;
      RETURN NULL;
    END$$`)}`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${name}_insert`)} AFTER INSERT ON ${sql.table(l.table)} REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${sql.raw(name)}()`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${name}_update`)} AFTER UPDATE ON ${sql.table(l.table)} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${sql.raw(name)}()`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${name}_delete`)} AFTER DELETE ON ${sql.table(l.table)} REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${sql.raw(name)}()`.execute(db);
  }
  await sql`CREATE FUNCTION page_change_everything() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE v integer;
    BEGIN
      v := page_change_bump();
      IF v IS NOT NULL THEN INSERT INTO page_change (version, paper_id, day, level) VALUES (v, 0, NULL, 4); END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER user_profile_page_change AFTER INSERT OR UPDATE OR DELETE ON user_profile
    FOR EACH STATEMENT EXECUTE FUNCTION page_change_everything()`.execute(db);
  await sql`CREATE TRIGGER user_account_page_change AFTER UPDATE OF ${sql.raw(USER_COLUMNS)} ON user_account
    FOR EACH STATEMENT EXECUTE FUNCTION page_change_everything()`.execute(db);
}
