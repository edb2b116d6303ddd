import type { Kysely } from 'kysely';

// What Hugging Face's daily papers say about a paper beyond its upvotes (which stay in
// paper.hf_upvotes, apart from local votes): comments, who submitted it there, its GitHub link,
// which authors HF shows as hidden (JSON array of author positions, 0-based), and when it was seen.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('paper_hf')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('paper.id').onDelete('cascade'))
    .addColumn('num_comments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitter_name', 'text')
    .addColumn('submitter_fullname', 'text')
    .addColumn('github_repo', 'text')
    .addColumn('hidden_authors', 'text')
    .addColumn('listed_on', 'text')
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('paper_hf_submitter_idx').on('paper_hf').columns(['submitter_name']).execute();
}
