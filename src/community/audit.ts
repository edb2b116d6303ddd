// The curators' audit log: who did what to which paper or user, when and why.
import type { Db, Tx } from '../store/db.ts';

/** Who acts: a signed-in curator, or the command line (`paperboy admin`). */
export interface Actor {
  id: number | null;
  label: string;
}

export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  target: string;
  reason: string;
  createdAt: string;
}

export async function recordAudit(tx: Tx | Db, actor: Actor, action: string, target: string, reason: string, now: Date): Promise<void> {
  await tx.insertInto('audit_log').values({ actor_id: actor.id, actor_label: actor.label, action, target, reason, created_at: now.toISOString() }).execute();
}

export async function listAudit(db: Db, opts: { limit: number; offset?: number; target?: string }): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (opts.target) q = q.where('target', '=', opts.target);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset ?? 0).execute();
  return rows.map((r) => ({ id: r.id, actor: r.actor_label, action: r.action, target: r.target, reason: r.reason, createdAt: r.created_at }));
}
