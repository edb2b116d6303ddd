// Submissions: a signed-in user brings a paper to today's list by arXiv id or URL.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db, Tx } from '../store/db.ts';
import { lockRows } from '../store/dialect.ts';
import { findPaperByArxivId, isoDay, upsertPapers, type Paper, type PaperInput } from '../papers/index.ts';
import type { User } from '../accounts/index.ts';
import { fetchOnePaper, type FetchPapers } from './fetch-one-paper.ts';

export type SubmitOutcome =
  | { ok: true; paper: Paper; listedOn: string; fetched: boolean }
  | { ok: false; reason: 'duplicate'; paper: Paper; submittedBy: string; listedOn: string }
  | { ok: false; reason: 'limit'; limit: number }
  | { ok: false; reason: 'unreachable' | 'not_found' | 'bad_response'; message: string };

export interface SubmitDeps {
  db: Db;
  config: Config;
  log: Logger;
  fetchPapers: FetchPapers;
}

/** Thrown inside the transaction to roll it back: the limit was reached, or someone else submitted the paper first. */
class Refused extends Error {
  constructor(readonly why: 'limit' | 'duplicate') {
    super(why);
  }
}

/**
 * Submits a paper (arxivId already parsed). Metadata comes from the store, else from arXiv; the
 * fetched paper and the submission are written in one transaction, so a failure leaves nothing behind.
 */
export async function submitPaper(deps: SubmitDeps, user: User, arxivId: string, now: Date): Promise<SubmitOutcome> {
  const { db, config } = deps;
  const today = isoDay(now);
  if ((await countSubmittedOn(db, user.id, today)) >= config.submitDailyLimit) return { ok: false, reason: 'limit', limit: config.submitDailyLimit };
  const existing = await findPaperByArxivId(db, arxivId);
  if (existing) {
    const dup = await findSubmission(db, existing.id);
    if (dup) return { ok: false, reason: 'duplicate', paper: existing, ...dup };
  }
  let input: PaperInput | undefined;
  if (!existing) {
    const res = await fetchOnePaper(deps.fetchPapers, config, arxivId, deps.log);
    if (!res.ok) return res;
    input = res.paper;
  }
  try {
    const paperId = await db.transaction().execute(async (tx) => {
      await lockUser(tx, user.id);
      if ((await countSubmittedOn(tx, user.id, today)) >= config.submitDailyLimit) throw new Refused('limit');
      if (input) await upsertPapers(tx, [input], now);
      const paper = await tx.selectFrom('paper').select('id').where('arxiv_id', '=', arxivId).executeTakeFirstOrThrow();
      const inserted = await tx
        .insertInto('submission')
        .values({ paper_id: paper.id, user_id: user.id, listed_on: today, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('paper_id').doNothing())
        .returning('paper_id')
        .executeTakeFirst();
      if (!inserted) throw new Refused('duplicate');
      return paper.id;
    });
    const paper = (await findPaperByArxivId(db, arxivId))!;
    deps.log.info('paper_submitted', { arxiv_id: arxivId, paper_id: paperId, user_id: user.id, fetched: input !== undefined });
    return { ok: true, paper, listedOn: today, fetched: input !== undefined };
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    if (err.why === 'limit') return { ok: false, reason: 'limit', limit: config.submitDailyLimit };
    const paper = (await findPaperByArxivId(db, arxivId))!;
    return { ok: false, reason: 'duplicate', paper, ...(await findSubmission(db, paper.id))! };
  }
}

/** Serialises one user's concurrent submissions, so the daily limit is exact. */
async function lockUser(tx: Tx, userId: number): Promise<void> {
  await lockRows(tx, tx.selectFrom('user_account').select('id').where('id', '=', userId)).execute();
}

async function countSubmittedOn(db: Db | Tx, userId: number, day: string): Promise<number> {
  const row = await db
    .selectFrom('submission')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('listed_on', '=', day)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSubmission(db: Db, paperId: number): Promise<{ submittedBy: string; listedOn: string } | undefined> {
  const row = await db
    .selectFrom('submission')
    .innerJoin('user_account', 'user_account.id', 'submission.user_id')
    .select(['submission.listed_on', 'user_account.display_name', 'user_account.id'])
    .where('submission.paper_id', '=', paperId)
    .executeTakeFirst();
  return row ? { submittedBy: row.display_name ?? `reader ${row.id}`, listedOn: row.listed_on } : undefined;
}

export async function listUserSubmissions(db: Db, userId: number, limit = 20): Promise<Array<{ arxivId: string; title: string; listedOn: string }>> {
  const rows = await db
    .selectFrom('submission')
    .innerJoin('paper', 'paper.id', 'submission.paper_id')
    .select(['paper.arxiv_id', 'paper.title', 'submission.listed_on'])
    .where('submission.user_id', '=', userId)
    .orderBy('submission.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ arxivId: r.arxiv_id, title: r.title, listedOn: r.listed_on }));
}
