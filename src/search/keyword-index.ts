// The one place the keyword engine is chosen by dialect.
import type { Dialect } from '../config.ts';
import type { KeywordIndex } from './keyword.ts';
import { sqliteKeywordIndex } from './keyword.sqlite.ts';

export function keywordIndexFor(dialect: Dialect): KeywordIndex {
  if (dialect === 'sqlite') return sqliteKeywordIndex;
  // TODO(#7): keyword.postgres.ts (tsvector + GIN) implements KeywordIndex.
  throw new Error('keyword search on PostgreSQL arrives with the PostgreSQL issue (#7)');
}
