// Synthetic papers for scale benches: titles and abstracts recombined from real sentences and title
// words of a source file, so term frequencies and lengths stay realistic. Ids are "syn.<n>".
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { PaperInput } from '../papers/paper.ts';

export interface SourceText {
  sentences: string[];
  titleWords: string[];
  authors: string[];
  categories: string[];
}

export async function readSource(path: string, maxPapers = 100_000): Promise<SourceText> {
  const input = createReadStream(path);
  const lines = createInterface({ input: path.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  const out: SourceText = { sentences: [], titleWords: [], authors: [], categories: [] };
  let n = 0;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const p = JSON.parse(line) as { title?: string; abstract?: string; authors?: string[]; categories?: string[] };
    out.sentences.push(...(p.abstract ?? '').split(/(?<=[.!?])\s+/).filter((s) => s.length > 20));
    out.titleWords.push(...(p.title ?? '').split(/\s+/).filter(Boolean));
    if (p.authors) out.authors.push(...p.authors.slice(0, 3));
    if (p.categories?.[0]) out.categories.push(p.categories[0]);
    if (++n >= maxPapers) break;
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so a given seed always builds the same corpus. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticPaper(src: SourceText, n: number, rnd: () => number): PaperInput {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const title = Array.from({ length: 5 + Math.floor(rnd() * 8) }, () => pick(src.titleWords)).join(' ');
  const abstract = Array.from({ length: 4 + Math.floor(rnd() * 5) }, () => pick(src.sentences)).join(' ');
  const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 6 * 365) * 86_400_000).toISOString().slice(0, 10);
  return {
    arxivId: `syn.${n}`,
    title,
    abstract,
    authors: Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(src.authors)),
    categories: [pick(src.categories)],
    announcedOn: day,
  };
}
