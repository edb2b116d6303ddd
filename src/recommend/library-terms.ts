// A reader's saved papers' terms, for the exact cosines of the ranking's second stage. Pure.
import type { ProfilePaper } from './signals.ts';
import type { TermIndex } from './text-vectors.ts';

/**
 * The saved papers' terms in an open-addressing table (term id → its saved papers and weights), so
 * that a window paper's cosines to all of them cost about one probe per term of that paper; a
 * 32 KB bit set in front answers most terms (those no saved paper holds) without reaching the table.
 */
export class LibraryTerms {
  private readonly keys: Int32Array;
  private readonly heads: Int32Array;
  private readonly next: Int32Array;
  private readonly paperOf: Int32Array;
  private readonly weightOf: Float32Array;
  private readonly mask: number;
  private readonly bits = new Int32Array(FILTER_BITS >>> 5);
  private readonly count: number;

  constructor(papers: ProfilePaper[]) {
    this.count = papers.length;
    let total = 0;
    for (const p of papers) total += p.vector.terms.length;
    let size = 16;
    while (size < 2 * total) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(size).fill(-1);
    this.heads = new Int32Array(size);
    this.next = new Int32Array(total);
    this.paperOf = new Int32Array(total);
    this.weightOf = new Float32Array(total);
    let e = 0;
    papers.forEach((p, l) => {
      const { terms, weights } = p.vector;
      for (let k = 0; k < terms.length; k++) {
        if (weights[k]! <= 0) continue;
        const t = terms[k]!;
        const slot = this.slot(t);
        this.next[e] = this.keys[slot] === -1 ? -1 : this.heads[slot]!;
        this.keys[slot] = t;
        this.heads[slot] = e;
        this.paperOf[e] = l;
        this.weightOf[e++] = weights[k]!;
        this.bits[(t & (FILTER_BITS - 1)) >>> 5]! |= 1 << (t & 31);
      }
    });
  }

  /** The slot holding term t, or the empty one where it would go. */
  private slot(t: number): number {
    let s = Math.imul(t, 0x9e3779b1) & this.mask;
    while (this.keys[s] !== -1 && this.keys[s] !== t) s = (s + 1) & this.mask;
    return s;
  }

  /** The cosines of each of these window papers to each saved paper: out[k × saved papers + l]. */
  cosines(index: TermIndex, papers: number[]): Float64Array {
    const L = this.count;
    const out = new Float64Array(papers.length * L);
    const { bits, keys, heads, next, paperOf, weightOf } = this;
    const mask = this.mask;
    for (let k = 0; k < papers.length; k++) {
      const { terms, weights } = index.vectors[papers[k]!]!;
      const row = k * L;
      for (let q = 0; q < terms.length; q++) {
        const t = terms[q]!;
        if ((bits[(t & (FILTER_BITS - 1)) >>> 5]! & (1 << (t & 31))) === 0) continue;
        let s = Math.imul(t, 0x9e3779b1) & mask;
        while (keys[s] !== -1 && keys[s] !== t) s = (s + 1) & mask;
        if (keys[s] === -1) continue;
        const w = weights[q]!;
        for (let e = heads[s]!; e !== -1; e = next[e]!) out[row + paperOf[e]!]! += weightOf[e]! * w;
      }
    }
    return out;
  }
}

const FILTER_BITS = 1 << 18;
