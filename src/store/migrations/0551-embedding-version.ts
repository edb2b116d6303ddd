import type { Kysely } from 'kysely';

// Which change (see src/store/change-version.ts, channel "embeddings") wrote each paper's vector, so
// every process's in-memory index can load just the vectors written since it last looked.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('paper_embedding').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('paper_embedding_version_idx').on('paper_embedding').columns(['model', 'version']).execute();
}
