// A digest subscription can carry the subscriber's "for you" list: off, also (before the topic
// picks) or only (instead of them), matched to the account with the same address.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscription').addColumn('for_you', 'text', (c) => c.notNull().defaultTo('off')).execute();
}
