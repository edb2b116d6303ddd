// Small helpers shared by the Atom and OAI-PMH parsers. Pure.
import { XMLParser } from 'fast-xml-parser';

/**
 * The XML parser both arXiv formats use: namespaces dropped, attributes as "@name", text as "#text",
 * values kept as strings, entities decoded; `arrays` names the elements that may repeat.
 */
export function createArxivXmlParser(arrays: string[]): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => arrays.includes(name),
  });
}

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
