// Which papers lack current stored terms (paper-terms.ts) is found by comparing each paper's
// content_hash with its stored row's. Read from the paper table, that scan reads every paper's whole
// row (abstract and all): 65 ms at 74,728 papers, about a second at a million, on the event loop in
// the search-terms job every ten minutes. This index holds just the id and the hash: 20 ms.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX paper_content_hash_idx ON paper (id, content_hash)`.execute(db);
}
