// Retrieval metrics as BEIR and trec_eval define them. Pure. A document is relevant when its
// graded score is ≥ 1; nDCG uses the grade as gain (trec_eval's ndcg_cut).

/** Graded judgements of one query: document id → grade. */
export type Judgements = Map<string, number>;

export function ndcgAt(ranked: string[], judged: Judgements, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const g = judged.get(id) ?? 0;
    if (g > 0) dcg += g / Math.log2(i + 2);
  });
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recallAt(ranked: string[], judged: Judgements, k: number): number {
  const relevant = [...judged].filter(([, g]) => g > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** Reciprocal rank of the first relevant document within the top k, else 0. */
export function mrrAt(ranked: string[], judged: Judgements, k: number): number {
  const i = ranked.slice(0, k).findIndex((id) => (judged.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** 1 when a relevant document is within the top k, else 0 (success@k, the known-item measure). */
export function successAt(ranked: string[], judged: Judgements, k: number): number {
  return ranked.slice(0, k).some((id) => (judged.get(id) ?? 0) > 0) ? 1 : 0;
}

/** The p-th percentile (0–100) by nearest rank; 0 for no samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}
