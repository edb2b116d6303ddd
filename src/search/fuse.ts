// Hybrid ranking: merges a keyword ranking and a semantic ranking into one. Pure.
//
// Normalised convex combination (Bruch, Gai & Ingber, "An Analysis of Fusion Functions for Hybrid
// Retrieval", TOIS 2023): each list's scores are min-max scaled to 0…1 over the list given, a paper
// missing from a list scores 0 there, and fused = (1 − w)·keyword + w·semantic. Measured on SciFact
// against reciprocal rank fusion, RRF (k = 60) lost badly with a weaker semantic ranker (0.605 vs
// 0.682 keyword alone) because it gives both lists equal say whatever their quality, while the
// convex combination with a weight that matches the ranker's quality gained (0.696 at w = 0.2).
// So each embedder states its weight (SemanticSearch.status().fusionWeight): equal trust (0.5) for
// a trained retrieval model, less for the corpus-learned builtin.

export interface Ranked {
  paperId: number;
  score: number;
}

/** Equal trust in both rankings: the weight for a trained neural retrieval model. */
export const DEFAULT_SEMANTIC_WEIGHT = 0.5;

function minMax(list: Ranked[]): Map<number, number> {
  let min = Infinity;
  let max = -Infinity;
  for (const r of list) {
    if (r.score < min) min = r.score;
    if (r.score > max) max = r.score;
  }
  const out = new Map<number, number>();
  for (const r of list) {
    // A one-paper list (or all equal scores) carries rank evidence only: full marks.
    if (!out.has(r.paperId)) out.set(r.paperId, max > min ? (r.score - min) / (max - min) : 1);
  }
  return out;
}

/**
 * One ranking from a keyword and a semantic ranking, best first. With no semantic results the
 * keyword ranking comes back unchanged; ties keep keyword order.
 */
export function fuseRankings(keyword: Ranked[], semantic: Ranked[], semanticWeight = DEFAULT_SEMANTIC_WEIGHT): Ranked[] {
  if (semantic.length === 0 || semanticWeight <= 0) return keyword;
  const w = Math.min(1, semanticWeight);
  const kw = minMax(keyword);
  const sem = minMax(semantic);
  const order = new Map<number, number>();
  for (const r of [...keyword, ...semantic]) if (!order.has(r.paperId)) order.set(r.paperId, order.size);
  return [...order.keys()]
    .map((paperId) => ({ paperId, score: (1 - w) * (kw.get(paperId) ?? 0) + w * (sem.get(paperId) ?? 0) }))
    .sort((a, b) => b.score - a.score || order.get(a.paperId)! - order.get(b.paperId)!);
}
