// RM3 pseudo-relevance feedback (Lavrenko & Croft 2001; Anserini's defaults): the top documents of
// the first ranking (rescore.ts) are assumed relevant; the terms that characterise them, weighted by
// each document's score, are added to the query, which is then mixed half-and-half with the original.
// Pure: ranked documents and statistics in, the expanded query out.
import type { TermStats } from './keyword.ts';
import { STOPWORDS } from './analyze.ts';
import { idf, type DocText, type Scored, type WeightedQuery } from './rescore.ts';

/** RM3: feedback documents, expansion terms, and the weight kept by the original query (Anserini's 10, 10, 0.5). */
export const FEEDBACK_DOCS = 10;
export const FEEDBACK_TERMS = 10;
export const ORIGINAL_WEIGHT = 0.5;
/**
 * Only the relevance model's strongest terms are weighed by idf (each needs a document-frequency
 * lookup); idf spans ~1–10, so a term below this rank almost never reaches the top FEEDBACK_TERMS.
 */
export const FEEDBACK_CANDIDATES = 100;

/**
 * RM3's relevance model of the top documents, before idf: term → Σ_d P(d|q) · tf(t,d) / |d|, where
 * P(d|q) ∝ exp(score) (BM25 read as a log-likelihood, so the first documents dominate). Function
 * words, numbers and one-character tokens are left out. Strongest first, at most `limit` terms.
 */
export function feedbackModel(ranked: Scored[], docs: Map<number, DocText>, limit: number): Array<[string, number]> {
  return feedbackWeights(ranked, docs).filter(([t]) => isFeedbackTerm(t)).slice(0, limit);
}

/** Whether a term may expand a query: not a function word, a number or a single character. */
export function isFeedbackTerm(t: string): boolean {
  return t.length >= 2 && !STOPWORDS.has(t) && !/^\d+$/.test(t);
}

/**
 * The relevance model over every term, in any form (strings, or the ids that stand for them), the
 * strongest first and ties in the order the terms were first met: what feedbackModel keeps, before
 * its terms are read as words. Each term adds up on its own and the sort is stable, so leaving terms
 * out after sorting keeps the same order as leaving them out before.
 */
export function feedbackWeights<T>(ranked: Scored[], docs: Map<number, DocText<T>>): Array<[T, number]> {
  const top = ranked.slice(0, FEEDBACK_DOCS).filter((s) => s.score > 0 && docs.has(s.paperId));
  if (top.length === 0) return [];
  const best = top[0]!.score;
  const relevance = top.map((s) => Math.exp(s.score - best));
  const z = relevance.reduce((a, b) => a + b, 0);
  // Each term's weight in one slot of a growing array, in the order the terms are first met; a
  // field's counts in slots too, each added to its term's weight once, when the field is read.
  const slot = new Map<T, number>();
  const terms: T[] = [];
  let weights: Float64Array = new Float64Array(1024);
  let inField = new Int32Array(1024);
  const met: number[] = [];
  top.forEach(({ paperId }, i) => {
    const d = docs.get(paperId)!;
    const length = d.title.length + d.abstract.length;
    if (length === 0) return;
    for (const field of [d.title, d.abstract]) {
      met.length = 0;
      for (let j = 0; j < field.length; j++) {
        const t = field[j]!;
        let k = slot.get(t);
        if (k === undefined) {
          slot.set(t, (k = terms.length));
          terms.push(t);
          if (k === weights.length) {
            weights = growTo(weights, new Float64Array(2 * k));
            inField = growTo(inField, new Int32Array(2 * k));
          }
        }
        if (inField[k] === 0) met.push(k);
        inField[k]!++;
      }
      for (const k of met) {
        weights[k] = weights[k]! + (relevance[i]! / z) * (inField[k]! / length);
        inField[k] = 0;
      }
    }
  });
  // Strongest first; the sort is stable, so ties keep the order the terms were first met.
  const order = Array.from(terms, (_, k) => k).sort((a, b) => weights[b]! - weights[a]!);
  return order.map((k): [T, number] => [terms[k]!, weights[k]!]);
}

/** `into`, a larger array, with `a` copied to its start. */
function growTo<A extends Float64Array | Int32Array>(a: A, into: A): A {
  into.set(a);
  return into;
}

/**
 * The RM3 query: ORIGINAL_WEIGHT × the original query (as a distribution) + the rest × the feedback
 * model weighted by idf (a term common to the whole corpus says nothing about these documents),
 * keeping its FEEDBACK_TERMS strongest terms.
 */
export function expandQuery(original: WeightedQuery, model: Array<[string, number]>, stats: TermStats): WeightedQuery {
  const kept = model.map(([t, v]): [string, number] => [t, v * idf(stats, t)]).sort((a, b) => b[1] - a[1]).slice(0, FEEDBACK_TERMS);
  const feedbackTotal = kept.reduce((s, [, v]) => s + v, 0);
  const originalTotal = [...original.values()].reduce((s, v) => s + v, 0);
  if (feedbackTotal <= 0 || originalTotal <= 0) return original;
  const out: WeightedQuery = new Map();
  for (const [t, w] of original) out.set(t, (ORIGINAL_WEIGHT * w) / originalTotal);
  for (const [t, w] of kept) out.set(t, (out.get(t) ?? 0) + ((1 - ORIGINAL_WEIGHT) * w) / feedbackTotal);
  return out;
}
