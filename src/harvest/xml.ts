// Small helpers shared by the Atom and OAI-PMH parsers. Pure.

export function toArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Collapses the hard-wrapped whitespace arXiv puts in titles and abstracts. */
export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The 1-based line on which each opening <tag> (any namespace prefix) starts, in document order. */
export function lineOfEachTag(xml: string, tag: string): number[] {
  const re = new RegExp(`<(?:[\\w-]+:)?${tag}[\\s>/]`, 'g');
  const out: number[] = [];
  let line = 1;
  let last = 0;
  for (const m of xml.matchAll(re)) {
    for (let i = last; i < m.index; i++) if (xml.charCodeAt(i) === 10) line++;
    last = m.index;
    out.push(line);
  }
  return out;
}
