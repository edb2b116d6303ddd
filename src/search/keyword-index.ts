// The one place the keyword engine is chosen by dialect.
import type { Db } from '../store/db.ts';
import { dialectOf } from '../store/dialect.ts';
import type { KeywordIndex } from './keyword.ts';
import { postgresKeywordIndex } from './keyword.postgres.ts';
import { sqliteKeywordIndex } from './keyword.sqlite.ts';

/** The keyword index of the database `db` speaks to: FTS5 on SQLite, tsvector on PostgreSQL. */
export function keywordIndexFor(db: Db): KeywordIndex {
  return dialectOf(db) === 'sqlite' ? sqliteKeywordIndex : postgresKeywordIndex;
}
