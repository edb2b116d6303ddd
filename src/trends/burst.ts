// Which topics are rising: a burst score per topic from weekly paper counts. Pure.
//
// For a topic with c_t papers in the current week out of N_t papers that week, and c_1…c_K papers
// out of N_1…N_K in the K previous weeks, the expected count this week at the topic's earlier rate is
//     E = N_t · (Σ c_k + 1) / (Σ N_k + 1)          (add-one smoothing: a new topic expects ~0, not 0/0)
// and the burst score is the Poisson z-score of what happened against it:
//     burst = (c_t − E) / √(E + 1)
// A topic rises when burst ≥ MIN_BURST and c_t ≥ MIN_COUNT (one paper is not a trend). The score
// grows with the surprise and with the evidence: 6 papers where 1 was expected beats 2 where 0.2 were.

export const PREVIOUS_WEEKS = 4;
export const MIN_BURST = 2;
export const MIN_COUNT = 3;

export interface WeeklySeries {
  /** Week keys (YYYY-Www), oldest first; the last is the current week. */
  weeks: string[];
  /** Papers of the topic per week, aligned with weeks. */
  counts: number[];
  /** Votes (local + Hugging Face) on those papers per week. */
  votes: number[];
}

export interface Burst {
  current: number;
  expected: number;
  score: number;
}

/** The burst score of a topic's last week against the PREVIOUS_WEEKS before it. */
export function burstScore(counts: number[], totals: number[]): Burst {
  const t = counts.length - 1;
  const current = counts[t] ?? 0;
  let prev = 0;
  let prevTotal = 0;
  for (let k = Math.max(0, t - PREVIOUS_WEEKS); k < t; k++) {
    prev += counts[k] ?? 0;
    prevTotal += totals[k] ?? 0;
  }
  const expected = (totals[t] ?? 0) * ((prev + 1) / (prevTotal + 1));
  return { current, expected, score: (current - expected) / Math.sqrt(expected + 1) };
}

export function isRising(b: Burst): boolean {
  return b.score >= MIN_BURST && b.current >= MIN_COUNT;
}
