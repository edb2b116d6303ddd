import type { Kysely } from 'kysely';

// Key phrases and a one-sentence TL;DR per paper, extracted offline from the paper's own text and
// the instance's statistics, and optionally a model-written summary and keywords beside them.
// source_hash / ai_source_hash are paper.content_hash when computed: a different current value
// means the paper changed since and is computed again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('paper_summary')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('paper.id').onDelete('cascade'))
    .addColumn('key_phrases', 'text', (c) => c.notNull())
    .addColumn('tldr', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('ai_summary', 'text')
    .addColumn('ai_keywords', 'text')
    .addColumn('ai_model', 'text')
    .addColumn('ai_source_hash', 'text')
    .addColumn('ai_at', 'text')
    .addColumn('ai_error', 'text')
    .addColumn('ai_retry_at', 'text')
    .execute();
}
