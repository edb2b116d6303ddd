import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

// Vectors for semantic search. embedding_cache holds one vector per (model, text hash), so a
// re-import, a second database or a rerun never embeds the same text twice; paper_embedding says
// which cached vector a paper currently has under each model.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('embedding_cache')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('dimension', 'integer', (c) => c.notNull())
    // little-endian float32 array
    .addColumn('vector', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('embedding_cache_pk', ['model', 'text_hash'])
    .execute();

  await db.schema
    .createTable('paper_embedding')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text', (c) => c.notNull())
    // paper.content_hash when embedded: a differing value means the paper changed since
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('embedded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_embedding_pk', ['paper_id', 'model'])
    .execute();
  await db.schema.createIndex('paper_embedding_model_idx').on('paper_embedding').columns(['model', 'paper_id']).execute();
}
