// A paper's analysed text as term ids and its stored form (paper_terms.terms, migration 0921):
// varints, the three stem arrays' lengths, the stems of title, abstract and authors, then the words of
// title and abstract, each 0 where the word is its own stem. Pure.
import { tokenize } from './analyze.ts';
import { stemWord } from './snippet.ts';

/** A paper's fields as term ids, in order: stems, and (title and abstract) the folded words. */
export interface TermIds {
  title: Int32Array;
  abstract: Int32Array;
  authors: Int32Array;
  titleWords: Int32Array;
  abstractWords: Int32Array;
}

/** A paper's fields as strings, as analyse() gives them. */
export interface AnalysedText {
  title: string[];
  abstract: string[];
  authors: string[];
  titleWords: string[];
  abstractWords: string[];
}

/** Title and abstract as tokenised and stemmed for re-scoring; authors stemmed alike. */
export function analysePaper(p: { title: string; abstract: string; authors_text: string }): AnalysedText {
  const titleWords = tokenize(p.title);
  const abstractWords = tokenize(p.abstract);
  return { title: titleWords.map(stemWord), abstract: abstractWords.map(stemWord), authors: tokenize(p.authors_text).map(stemWord), titleWords, abstractWords };
}

/**
 * Varints: the three stem arrays' lengths, the stems of title, abstract and authors, then the words
 * of title and abstract, each 0 where the word is its own stem (about half are), which keeps a typical
 * paper near 700 bytes.
 */
export function encodeTerms(t: TermIds): Uint8Array {
  const out: number[] = [];
  const put = (v: number) => {
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  };
  put(t.title.length);
  put(t.abstract.length);
  put(t.authors.length);
  for (const field of [t.title, t.abstract, t.authors]) for (const id of field) put(id);
  t.titleWords.forEach((id, i) => put(id === t.title[i] ? 0 : id));
  t.abstractWords.forEach((id, i) => put(id === t.abstract[i] ? 0 : id));
  return Uint8Array.from(out);
}

export function decodeTerms(buf: Uint8Array): TermIds {
  return decodeTermsInto(buf, new Int32Array(decodedLength(buf)), 0);
}

/** How many ids decodeTerms gives for a row: its fields' stems and the words of title and abstract. */
function decodedLength(buf: Uint8Array): number {
  const head = new Int32Array(3);
  decodeInto(buf, 0, head, undefined);
  return 2 * (head[0]! + head[1]!) + head[2]!;
}

/**
 * Rows decoded into one buffer, each paper's fields views of it: one allocation per query's
 * candidates rather than per paper (each a backing store the collector sweeps).
 */
export function decodeAll(bufs: Uint8Array[]): TermIds[] {
  let total = 0;
  const lengths = bufs.map((b) => {
    const n = decodedLength(b);
    total += n;
    return n;
  });
  const all = new Int32Array(total);
  let from = 0;
  return bufs.map((b, i) => {
    const ids = decodeTermsInto(b, all, from);
    from += lengths[i]!;
    return ids;
  });
}

/** decodeTerms into `all` from `from` (decodedLength(buf) slots). */
function decodeTermsInto(buf: Uint8Array, all: Int32Array, from: number): TermIds {
  const head = new Int32Array(3);
  let at = decodeInto(buf, 0, head, undefined);
  const [nTitle, nAbstract, nAuthors] = head as unknown as [number, number, number];
  const field = (n: number) => all.subarray(from, (from += n));
  const title = field(nTitle);
  const abstract = field(nAbstract);
  const authors = field(nAuthors);
  const titleWords = field(nTitle);
  const abstractWords = field(nAbstract);
  at = decodeInto(buf, at, title, undefined);
  at = decodeInto(buf, at, abstract, undefined);
  at = decodeInto(buf, at, authors, undefined);
  at = decodeInto(buf, at, titleWords, title);
  decodeInto(buf, at, abstractWords, abstract);
  return { title, abstract, authors, titleWords, abstractWords };
}

/**
 * Fills `out` with the varints from `at`, a 0 read as the same slot of `stems` when given; returns
 * where it stopped. Unrolled for up to five bytes (ids below 2^35): decoding is on every query's path,
 * ~1,000 ids a paper, and most ids take two or three bytes.
 */
export function decodeInto(buf: Uint8Array, at: number, out: Int32Array, stems: Int32Array | undefined): number {
  for (let i = 0; i < out.length; i++) {
    let b = buf[at++]!;
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[at++]!;
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[at++]!;
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[at++]!;
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) v += (buf[at++]! & 0x7f) * 2 ** 28;
        }
      }
    }
    out[i] = v === 0 && stems ? stems[i]! : v;
  }
  return at;
}
