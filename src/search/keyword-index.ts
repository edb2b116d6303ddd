// The one place the keyword engine is chosen by dialect.
import type { Dialect } from '../config.ts';
import type { KeywordIndex } from './keyword.ts';
import { postgresKeywordIndex } from './keyword.postgres.ts';
import { sqliteKeywordIndex } from './keyword.sqlite.ts';

export function keywordIndexFor(dialect: Dialect): KeywordIndex {
  return dialect === 'sqlite' ? sqliteKeywordIndex : postgresKeywordIndex;
}
