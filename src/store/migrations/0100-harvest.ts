// Harvest bookkeeping: a checkpoint per OAI set, the history of runs, and a lease that keeps two
// harvests (in any process) from running at once.
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('harvest_checkpoint')
    .addColumn('set_spec', 'text', (c) => c.primaryKey())
    // The list being harvested: in_progress = 1 from before its first request until its last page.
    .addColumn('in_progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('list_from', 'text')
    .addColumn('list_until', 'text')
    .addColumn('resumption_token', 'text')
    .addColumn('list_started_at', 'text')
    .addColumn('datestamp_reached', 'text')
    .addColumn('pages_done', 'integer', (c) => c.notNull().defaultTo(0))
    // Day of the server's responseDate when the last incremental list began: the next run's `from`.
    .addColumn('harvested_through', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('harvest_run')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sets', 'text', (c) => c.notNull())
    .addColumn('from_day', 'text')
    .addColumn('until_day', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    /** JSON array of the first skipped-record reasons. */
    .addColumn('problems', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('harvest_run_started_idx').on('harvest_run').columns(['started_at']).execute();

  // A lease, not a lock: it expires, so a crashed holder cannot block harvesting for ever.
  await db.schema
    .createTable('harvest_lease')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}
