// Digest confirmation tokens were hashed to base64url while every other stored token hash is hex;
// one hashToken now serves all, so pending confirmation links keep working once rewritten to hex.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const rows = await db.selectFrom('subscription').select(['id', 'confirm_token_hash']).where('confirm_token_hash', 'is not', null).execute();
  for (const row of rows as Array<{ id: number; confirm_token_hash: string }>) {
    if (/^[0-9a-f]{64}$/.test(row.confirm_token_hash)) continue;
    const hex = Buffer.from(row.confirm_token_hash, 'base64url').toString('hex');
    await db.updateTable('subscription').set({ confirm_token_hash: hex }).where('id', '=', row.id).execute();
  }
}
