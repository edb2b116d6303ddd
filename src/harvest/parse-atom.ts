// Parses an arXiv API Atom response (/api/query) into paper inputs. Pure: text in, data out.
import type { PaperInput } from '../papers/paper.ts';
import { parseArxivId, splitVersion } from '../papers/arxiv-id.ts';
import { collapse, createArxivXmlParser, lineOfEachTag, toArray } from './xml.ts';

export interface ParsedRecord {
  /** 1-based line in the source text where the record starts. */
  line: number;
  paper?: PaperInput;
  error?: string;
}

export interface ParsedAtom {
  totalResults: number | undefined;
  records: ParsedRecord[];
  /** arXiv API reports a bad query as a single entry titled "Error". */
  apiError: string | undefined;
}

const parser = createArxivXmlParser(['entry', 'author', 'category', 'link']);

export class XmlFormatError extends Error {}

export function parseAtomFeed(xml: string): ParsedAtom {
  let doc: any;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new XmlFormatError(`not well-formed XML: ${(err as Error).message}`);
  }
  const feed = doc?.feed;
  if (!feed) throw new XmlFormatError('not an Atom feed: no <feed> root element');
  const lines = lineOfEachTag(xml, 'entry');
  const entries = toArray(feed.entry);
  const total = feed.totalResults !== undefined ? Number(textOf(feed.totalResults)) : undefined;
  if (entries.length === 1 && textOf(entries[0].title) === 'Error') {
    return { totalResults: total, records: [], apiError: collapse(textOf(entries[0].summary)) };
  }
  return {
    totalResults: Number.isFinite(total) ? total : undefined,
    apiError: undefined,
    records: entries.map((entry, i) => ({ line: lines[i] ?? 0, ...parseEntry(entry) })),
  };
}

function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (typeof node === 'object' && '#text' in (node as object)) return String((node as any)['#text']);
  return '';
}

function parseEntry(entry: any): { paper?: PaperInput; error?: string } {
  const rawId = textOf(entry.id);
  const idMatch = /arxiv\.org\/abs\/(.+)$/.exec(rawId);
  if (!idMatch) return { error: `entry has no arXiv abs URL in <id> ("${rawId.slice(0, 80)}")` };
  const { id, version } = splitVersion(idMatch[1]!);
  if (!parseArxivId(id)) return { error: `"${id}" is not an arXiv id` };
  const title = collapse(textOf(entry.title));
  if (!title) return { error: `${id}: empty <title>` };
  const abstract = collapse(textOf(entry.summary));
  const authors = toArray(entry.author).map((a: any) => collapse(textOf(a.name))).filter(Boolean);
  if (authors.length === 0) return { error: `${id}: no <author>` };
  const primary = entry.primary_category?.['@term'] as string | undefined;
  const categories = toArray(entry.category).map((c: any) => String(c['@term'] ?? '')).filter((c: string) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(c));
  const ordered = primary ? [primary, ...categories.filter((c: string) => c !== primary)] : categories;
  const published = textOf(entry.published);
  const updated = textOf(entry.updated);
  if (published && Number.isNaN(Date.parse(published))) return { error: `${id}: bad <published> date "${published}"` };
  const doiLink = toArray(entry.link).find((l: any) => l['@title'] === 'doi');
  const comment = collapse(textOf(entry.comment));
  const journalRef = collapse(textOf(entry.journal_ref));
  const doi = collapse(textOf(entry.doi)) || (doiLink ? String(doiLink['@href']).replace(/^https?:\/\/(dx\.)?doi\.org\//, '') : '');
  return {
    paper: {
      arxivId: id,
      version,
      title,
      abstract,
      authors,
      categories: ordered,
      comment: comment || null,
      journalRef: journalRef || null,
      doi: doi || null,
      submittedAt: published ? new Date(published).toISOString() : null,
      updatedAt: updated && !Number.isNaN(Date.parse(updated)) ? new Date(updated).toISOString() : null,
      announcedOn: announcedFromSubmission(published || updated),
    },
  };
}

/**
 * The API gives no announcement date. arXiv announces at 20:00 US Eastern (00:00 UTC) the papers
 * submitted before the 14:00 ET cut-off, Sunday to Thursday; so the announcement day (UTC) is the next
 * weekday listing after submission. This rule is an estimate; OAI-PMH and listing imports are exact.
 */
export function announcedFromSubmission(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return new Date().toISOString().slice(0, 10);
  // 14:00 ET is 18:00 or 19:00 UTC; use 18:00 UTC as the cut-off (EDT, most of the year).
  let d = new Date(t);
  const afterCutoff = d.getUTCHours() >= 18;
  d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + (afterCutoff ? 2 : 1)));
  // Mailings appear Sunday-Thursday evenings ET, which is Monday-Friday UTC.
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d = new Date(d.getTime() + 86_400_000);
  return d.toISOString().slice(0, 10);
}
