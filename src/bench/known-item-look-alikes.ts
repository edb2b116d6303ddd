// Look-alikes of known-item queries (three consecutive words of a title): the papers whose titles
// hold the typed words in the same order (function words aside). Nothing typed tells them apart, so
// a ranking that puts every such title first must still order them by something else (length,
// the abstract). The chance baseline places the remembered paper at a uniformly random place among
// its T look-alikes: expected reciprocal rank (1/T)·Σ_{i≤min(T,10)} 1/i and success@10 min(T,10)/T;
// a query whose paper's title does not hold its words so (a different spelling) counts as found
// first. A ranking above the baseline separates look-alikes better than chance; the queries with
// more than ten look-alikes are the ones it can only find by such cues.
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { STOPWORDS, tokenize } from '../search/analyze.ts';
import { stemWord } from '../search/snippet.ts';
import { mean } from './metrics.ts';
import type { Judgements } from './metrics.ts';

export interface KnownItemLookAlikes {
  mrr_at_10: number;
  success_at_10: number;
  /** Queries whose words, in order, occur in more than one title. */
  tied_queries: number;
  /** …in more than ten titles. */
  over_ten: number;
}

/** Content words, stemmed, joined: function words do not count as breaking a run. */
function contentRun(text: string): string {
  return ` ${tokenize(text).filter((w) => !STOPWORDS.has(w)).map(stemWord).join(' ')} `;
}

export async function knownItemLookAlikes(db: Db, queries: Array<{ id: string; text: string }>, qrels: Map<string, Judgements>, prefix: string): Promise<KnownItemLookAlikes> {
  const { rows } = await sql<{ arxiv_id: string; title: string }>`SELECT arxiv_id, title FROM paper`.execute(db);
  const titles = new Map(rows.map((r) => [r.arxiv_id.slice(prefix.length), contentRun(r.title)]));
  const all = [...titles.values()];
  const rr: number[] = [];
  const found: number[] = [];
  let tied = 0;
  let overTen = 0;
  for (const q of queries) {
    const wanted = [...(qrels.get(q.id) ?? new Map())].filter(([, g]) => g > 0).map(([id]) => id);
    const phrase = contentRun(q.text);
    const own = wanted.map((id) => titles.get(id)).find((t) => t?.includes(phrase));
    if (own === undefined || phrase.trim() === '') {
      rr.push(1);
      found.push(1);
      continue;
    }
    let look = 0;
    for (const t of all) if (t.includes(phrase)) look++;
    if (look > 1) tied++;
    if (look > 10) overTen++;
    let sum = 0;
    for (let i = 1; i <= Math.min(look, 10); i++) sum += 1 / i;
    rr.push(sum / look);
    found.push(Math.min(look, 10) / look);
  }
  const round = (x: number) => Number(x.toFixed(4));
  return { mrr_at_10: round(mean(rr)), success_at_10: round(mean(found)), tied_queries: tied, over_ten: overTen };
}
