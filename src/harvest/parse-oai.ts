// Parses one OAI-PMH 2.0 ListRecords response in arXiv's own metadata format (metadataPrefix=arXiv,
// namespace http://arxiv.org/OAI/arXiv/) into paper inputs. Pure: text in, data out.
import type { PaperInput } from '../papers/paper.ts';
import { parseArxivId } from '../papers/arxiv-id.ts';
import { announcedFromSubmission } from './parse-atom.ts';
import { collapse, createArxivXmlParser, lineOfEachTag, toArray } from './xml.ts';

export type OaiRecord =
  | { kind: 'paper'; line: number; datestamp: string; paper: PaperInput }
  | { kind: 'deleted'; line: number; datestamp: string; arxivId: string }
  | { kind: 'malformed'; line: number; reason: string };

export interface OaiPage {
  /** The server's clock when it answered (ISO), the safe `from` for the next incremental harvest. */
  responseDate: string | undefined;
  records: OaiRecord[];
  /** The token for the next page; undefined when this is the last page (absent or empty element). */
  resumptionToken: string | undefined;
  completeListSize: number | undefined;
  cursor: number | undefined;
  /** An OAI-PMH error such as noRecordsMatch or badResumptionToken. */
  error: { code: string; message: string } | undefined;
}

export class OaiFormatError extends Error {}

const parser = createArxivXmlParser(['record', 'author', 'setSpec', 'error']);

export function parseOaiPage(xml: string): OaiPage {
  let doc: any;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new OaiFormatError(`not well-formed XML: ${(err as Error).message}`);
  }
  const root = doc?.['OAI-PMH'];
  if (!root || typeof root !== 'object') throw new OaiFormatError('not an OAI-PMH response: no <OAI-PMH> root element');
  const responseDate = textOf(root.responseDate) || undefined;
  const errors = toArray(root.error);
  if (errors.length > 0) {
    const e = errors[0];
    return {
      responseDate, records: [], resumptionToken: undefined, completeListSize: undefined, cursor: undefined,
      error: { code: String(e?.['@code'] ?? 'unknown'), message: collapse(textOf(e)) },
    };
  }
  const list = root.ListRecords;
  if (list === undefined) throw new OaiFormatError('not a ListRecords response: neither <ListRecords> nor <error>');
  const lines = lineOfEachTag(xml, 'record');
  const records = toArray(list?.record).map((r: any, i: number) => parseRecord(r, lines[i] ?? 0));
  const token = list?.resumptionToken;
  const tokenText = collapse(textOf(token));
  return {
    responseDate,
    records,
    resumptionToken: tokenText || undefined,
    completeListSize: numberAttr(token, '@completeListSize'),
    cursor: numberAttr(token, '@cursor'),
    error: undefined,
  };
}

function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (typeof node === 'object' && '#text' in (node as object)) return String((node as any)['#text']);
  return '';
}

function numberAttr(node: unknown, attr: string): number | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = Number((node as any)[attr]);
  return Number.isFinite(n) ? n : undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseRecord(record: any, line: number): OaiRecord {
  const header = record?.header;
  const identifier = collapse(textOf(header?.identifier));
  const datestamp = collapse(textOf(header?.datestamp)).slice(0, 10);
  const idFromHeader = identifier.replace(/^oai:arXiv\.org:/i, '');
  if (header?.['@status'] === 'deleted') {
    const parsed = parseArxivId(idFromHeader);
    if (!parsed) return { kind: 'malformed', line, reason: `deleted record with unrecognised identifier "${identifier.slice(0, 80)}"` };
    return { kind: 'deleted', line, datestamp, arxivId: parsed.id };
  }
  const meta = record?.metadata?.arXiv;
  if (!meta || typeof meta !== 'object') return { kind: 'malformed', line, reason: `${identifier || 'record'}: no <arXiv> metadata` };
  const rawId = collapse(textOf(meta.id)) || idFromHeader;
  const parsed = parseArxivId(rawId);
  if (!parsed) return { kind: 'malformed', line, reason: `"${rawId.slice(0, 80)}" is not an arXiv id` };
  const id = parsed.id;
  if (!DAY.test(datestamp)) return { kind: 'malformed', line, reason: `${id}: bad <datestamp> "${datestamp}"` };
  const title = collapse(textOf(meta.title));
  if (!title) return { kind: 'malformed', line, reason: `${id}: empty <title>` };
  const authors = toArray(meta.authors?.author).map(authorName).filter(Boolean);
  if (authors.length === 0) return { kind: 'malformed', line, reason: `${id}: no <author>` };
  const categories = collapse(textOf(meta.categories)).split(' ').filter((c) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(c));
  if (categories.length === 0) return { kind: 'malformed', line, reason: `${id}: no valid <categories>` };
  const created = collapse(textOf(meta.created));
  if (!DAY.test(created)) return { kind: 'malformed', line, reason: `${id}: bad <created> date "${created}"` };
  const updated = collapse(textOf(meta.updated));
  const optional = (node: unknown) => collapse(textOf(node)) || null;
  return {
    kind: 'paper',
    line,
    datestamp,
    paper: {
      arxivId: id,
      title,
      abstract: collapse(textOf(meta.abstract)),
      authors,
      categories: [...new Set(categories)],
      comment: optional(meta.comments),
      journalRef: optional(meta['journal-ref']),
      doi: optional(meta.doi),
      license: optional(meta.license),
      submittedAt: `${created}T00:00:00.000Z`,
      updatedAt: DAY.test(updated) ? `${updated}T00:00:00.000Z` : null,
      announcedOn: announcedFromOai(datestamp, created),
    },
  };
}

/** "Forenames Keyname Suffix"; a collaboration has only a keyname. */
function authorName(author: any): string {
  return collapse([textOf(author?.forenames), textOf(author?.keyname), textOf(author?.suffix)].filter(Boolean).join(' '));
}

/**
 * The announcement day of a paper first seen in an OAI record. A record's datestamp is the day its
 * metadata last changed; for a new paper that is the day arXiv announced it, so a datestamp within a
 * week of `created` is taken as the announcement day (moved to Monday if it falls on a weekend, as
 * arXiv lists nothing then). A later datestamp means a replacement or an edit of an older paper:
 * then the day is estimated from `created` like the API's (the next weekday listing). The harvest
 * keeps the stored day of papers it already has.
 */
export function announcedFromOai(datestamp: string, created: string): string {
  const stamp = Date.parse(`${datestamp}T00:00:00Z`);
  const made = Date.parse(`${created}T00:00:00Z`);
  if (Number.isNaN(stamp)) return announcedFromSubmission(`${created}T12:00:00Z`);
  if (!Number.isNaN(made) && stamp - made > 7 * 86_400_000) return announcedFromSubmission(`${created}T12:00:00Z`);
  let d = new Date(stamp);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d = new Date(d.getTime() + 86_400_000);
  return d.toISOString().slice(0, 10);
}
