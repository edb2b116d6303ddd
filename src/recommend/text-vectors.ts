// Papers as TF-IDF vectors over the recommendation window: title and abstract analysed the way the
// keyword index does (Porter stems), sublinear term frequency, document frequencies counted over the
// window's own papers (a term common this week says little about a reader), L2-normalised. The
// window's papers are indexed both ways: by paper (their vectors) and by term (postings), so a saved
// paper is compared with every candidate by walking only the postings of its own terms. Pure.
import { porterStem } from '../search/porter.ts';
import { STOPWORDS, tokenize } from '../search/analyze.ts';

export interface SparseVector {
  terms: Int32Array;
  weights: Float32Array;
}

export interface TermIndex {
  vocabulary: Map<string, number>;
  idf: Float32Array;
  /** The weight of a term no window paper holds (it still counts in a saved paper's length). */
  unseenIdf: number;
  /** Postings, CSR: papers (by position in the window) holding term t are postPaper[postStart[t] .. postStart[t+1]). */
  postStart: Int32Array;
  postPaper: Int32Array;
  postWeight: Float32Array;
  vectors: SparseVector[];
}

const stems = new Map<string, string>();

/** Stemmed content words of a text, stop words and bare numbers left out. */
export function paperTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (token.length < 2 || STOPWORDS.has(token) || /^\d+$/.test(token)) continue;
    let stem = stems.get(token);
    if (stem === undefined) {
      stem = porterStem(token);
      if (stems.size > 200_000) stems.clear();
      stems.set(token, stem);
    }
    out.push(stem);
  }
  return out;
}

function countTerms(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/**
 * A paper's terms for comparing papers: its words and each pair of neighbouring words (after stop
 * words are dropped), since a pair ("gaussian splatting", "policy gradient") names a topic far more
 * precisely than its words apart. Measured on the authors benchmark: see docs/personal.md.
 */
export function comparisonTerms(text: string): string[] {
  const words = paperTerms(text);
  const out = words.slice();
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]}_${words[i]}`);
  return out;
}

/** Builds the window's index from each paper's terms (in the window's order). */
export function buildTermIndex(papers: string[][]): TermIndex {
  const vocabulary = new Map<string, number>();
  const counted = papers.map(countTerms);
  const df: number[] = [];
  for (const counts of counted) {
    for (const term of counts.keys()) {
      let id = vocabulary.get(term);
      if (id === undefined) {
        id = df.length;
        vocabulary.set(term, id);
        df.push(0);
      }
      df[id]!++;
    }
  }
  const n = papers.length;
  const idf = Float32Array.from(df, (d) => Math.log((n + 1) / (d + 1)) + 1);
  const vectors = counted.map((counts) => weigh(counts, vocabulary, idf, 0).vector);
  const postStart = new Int32Array(df.length + 1);
  for (let t = 0; t < df.length; t++) postStart[t + 1] = postStart[t]! + df[t]!;
  const fill = postStart.slice(0, df.length);
  const postPaper = new Int32Array(postStart[df.length]!);
  const postWeight = new Float32Array(postPaper.length);
  vectors.forEach((v, p) => {
    for (let i = 0; i < v.terms.length; i++) {
      const at = fill[v.terms[i]!]!++;
      postPaper[at] = p;
      postWeight[at] = v.weights[i]!;
    }
  });
  return { vocabulary, idf, unseenIdf: Math.log(n + 1) + 1, postStart, postPaper, postWeight, vectors };
}

/** A text outside the window (a saved paper) as a vector in the window's space. */
export function vectorize(index: TermIndex, terms: string[]): SparseVector {
  return weigh(countTerms(terms), index.vocabulary, index.idf, index.unseenIdf).vector;
}

function weigh(counts: Map<string, number>, vocabulary: Map<string, number>, idf: Float32Array, unseenIdf: number): { vector: SparseVector } {
  const terms: number[] = [];
  const weights: number[] = [];
  let norm = 0;
  for (const [term, tf] of counts) {
    const id = vocabulary.get(term);
    const w = (1 + Math.log(tf)) * (id === undefined ? unseenIdf : idf[id]!);
    norm += w * w;
    if (id === undefined) continue;
    terms.push(id);
    weights.push(w);
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { vector: { terms: Int32Array.from(terms), weights: Float32Array.from(weights, (w) => w * scale) } };
}

/** Cosine of one vector with every window paper, added into `out` (length = window size) times `factor`. */
export function addCosines(index: TermIndex, v: SparseVector, out: Float32Array, factor = 1): void {
  const { postStart, postPaper, postWeight } = index;
  for (let i = 0; i < v.terms.length; i++) {
    const t = v.terms[i]!;
    const w = v.weights[i]! * factor;
    for (let j = postStart[t]!, end = postStart[t + 1]!; j < end; j++) out[postPaper[j]!]! += w * postWeight[j]!;
  }
}
