// The content score of every window paper for one reader, first estimated for the whole window and
// then exact for a shortlist (see rankWindow). Pure.
import type { ProfilePaper } from './signals.ts';
import type { TermIndex } from './text-vectors.ts';

/**
 * Products of a saved paper's term weight and a window paper's below this can be left out of the
 * first stage's cosines (the walk over a term's postings, heaviest first, stops there). Off: taking
 * common terms by their mean weight saved more time for the same exactness (docs/personal.md).
 */
export const MIN_IMPACT = 0;

export interface Stages {
  /** Products of term weights below this are left out of the first stage's cosines. */
  minImpact: number;
  /**
   * Terms held by more than this share of the window's papers count in the first stage through the
   * saved papers' mean weight, one walk per term instead of one per saved paper holding it (1: off).
   */
  commonShare: number;
  /** Papers scored exactly in the second stage (at least 50 more than the list asked for). */
  shortlist: number;
}

export const DEFAULT_STAGES: Stages = { minImpact: MIN_IMPACT, commonShare: 0.1, shortlist: 500 };

const EXP_STEPS = 8192;

/**
 * exp(c/τ) − 1 at c = k / EXP_STEPS, k = 0 … EXP_STEPS + 1, for `expm1` to interpolate linearly
 * (relative error below 1e-6 for τ = 0.05): Math.exp would be most of the cost, once per saved
 * paper and window paper.
 */
export function expTable(tau: number): Float64Array {
  const table = new Float64Array(EXP_STEPS + 2);
  for (let k = 0; k <= EXP_STEPS + 1; k++) table[k] = Math.expm1(k / EXP_STEPS / tau);
  return table;
}

/** exp(c/τ) − 1 for c ∈ [0, 1] from the table. */
export function expm1(table: Float64Array, c: number): number {
  const x = Math.min(c, 1) * EXP_STEPS;
  const k = Math.floor(x);
  return table[k]! + (x - k) * (table[k + 1]! - table[k]!);
}

/**
 * τ·log Σ_l w_l·exp(cos_l/τ) for every window paper, one saved paper at a time through the postings
 * (cosines lie in [0, 1], so exp(cos/τ) needs no shifting for τ ≥ 0.01), from the products of at
 * least `minImpact`: a term's postings are heaviest first, so its walk ends where they fall below.
 * A paper sharing no term with saved paper l gets w_l·exp(0) = w_l from it, added once for all
 * in the base. `touched` says which papers share a term with some saved paper.
 */
export function softMaxOfCosines(index: TermIndex, papers: ProfilePaper[], tau: number, minImpact: number, commonDf: number): { score: Float64Array; touched: Uint8Array } {
  const n = index.vectors.length;
  const out = new Float64Array(n);
  const touched = new Uint8Array(n);
  if (papers.length === 0) return { score: out, touched };
  const { postStart, postPaper, postWeight } = index;
  const cos = new Float64Array(n);
  // The papers this saved paper reached, so that only they are visited after its walk.
  const reached = new Int32Array(n);
  const exp = expTable(tau);
  // Common terms (in more than commonDf window papers): Σ_l w_l·weight, walked once for all below.
  const common = new Map<number, number>();
  let base = 0;
  for (const p of papers) {
    base += p.weight;
    const { terms, weights } = p.vector;
    let m = 0;
    for (let k = 0; k < terms.length; k++) {
      const w = weights[k]!;
      if (w <= 0) continue;
      const t = terms[k]!;
      const start = postStart[t]!;
      const end = postStart[t + 1]!;
      if (end - start > commonDf) {
        common.set(t, (common.get(t) ?? 0) + p.weight * w);
        continue;
      }
      const stop = minImpact / w;
      // The hot loop; zero weights (terms no other paper holds) sit last and end it too.
      for (let j = start; j < end; j++) {
        const pw = postWeight[j]!;
        if (pw <= stop) break;
        const i = postPaper[j]!;
        if (cos[i] === 0) reached[m++] = i;
        cos[i]! += w * pw;
      }
    }
    for (let q = 0; q < m; q++) {
      const i = reached[q]!;
      out[i]! += p.weight * expm1(exp, cos[i]!);
      touched[i] = 1;
      cos[i] = 0;
    }
  }
  for (let i = 0; i < n; i++) out[i] = tau * Math.log(base + out[i]!);
  // τ·log Σ_l w_l·exp((rare_l + c)/τ) = c + τ·log Σ_l w_l·exp(rare_l/τ) when every saved paper shares
  // the same common part c: the weighted mean of the saved papers' common parts stands in for each.
  for (const [t, sum] of common) {
    const w = sum / base;
    for (let j = postStart[t]!, end = postStart[t + 1]!; j < end; j++) {
      const i = postPaper[j]!;
      out[i]! += w * postWeight[j]!;
      touched[i] = 1;
    }
  }
  return { score: out, touched };
}
