// Turns one JSON record of a supported format into a paper input, or a reason it was rejected. Pure.
//   listing  — the shared sample: {id, title, abstract, authors[], categories[], comment?, listed}
//   canonical — paperboy's own export, every field: {arxiv_id, version, title, abstract, …, announced_on}
//   hf       — one element of Hugging Face daily_papers: {paper:{id,title,summary,authors[{name}],publishedAt,upvotes}, publishedAt, …}
import { z } from 'zod';
import type { PaperInput } from '../papers/paper.ts';
import { parseArxivId, splitVersion } from '../papers/arxiv-id.ts';
import { parseDay } from '../papers/period.ts';
import { collapse } from '../harvest/xml.ts';

export type RecordResult = { ok: true; paper: PaperInput } | { ok: false; reason: string };

const day = z.string().refine((s) => parseDay(s) !== undefined, 'must be a calendar day YYYY-MM-DD');
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date-time');
const text = z.string().transform(collapse).pipe(z.string().min(1, 'must not be empty'));
const optionalText = z.string().nullish().transform((s) => (s == null ? s : collapse(s) || null));
const categories = z.array(z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'must be arXiv category codes such as cs.CL')).min(1, 'needs at least one category');

const listing = z.object({
  id: z.string(),
  title: text,
  abstract: z.string().transform(collapse),
  authors: z.array(z.string().transform(collapse)).min(1, 'needs at least one author'),
  categories,
  comment: optionalText,
  listed: day,
});

const canonical = z.object({
  arxiv_id: z.string(),
  version: z.number().int().min(1).optional(),
  title: text,
  abstract: z.string().transform(collapse),
  authors: z.array(z.string().transform(collapse)).min(1, 'needs at least one author'),
  // Empty for a paper imported from Hugging Face, which gives no categories: its own export re-imports.
  categories: categories.element.array(),
  comment: optionalText,
  journal_ref: optionalText,
  doi: optionalText,
  license: optionalText,
  submitted_at: isoTime.nullish(),
  updated_at: isoTime.nullish(),
  announced_on: day,
  withdrawn: z.boolean().optional(),
  hf_upvotes: z.number().int().min(0).optional(),
});

const hf = z.object({
  paper: z.object({
    id: z.string(),
    title: text,
    summary: z.string().transform(collapse),
    authors: z.array(z.object({ name: z.string().transform(collapse) })).min(1, 'needs at least one author'),
    publishedAt: isoTime.optional(),
    upvotes: z.number().int().min(0).optional(),
  }),
  publishedAt: isoTime.optional(),
  title: z.string().optional(),
});

function firstIssue(err: z.ZodError): string {
  const issue = err.issues[0]!;
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

function checkId(raw: string): { id: string; version: number | undefined } | string {
  const parsed = parseArxivId(raw);
  if (!parsed) return `id: "${raw.slice(0, 60)}" is not an arXiv id`;
  return parsed;
}

/** A JSONL line: the listing format or the canonical format, told apart by their id field. */
export function recordFromJsonLine(value: unknown): RecordResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'expected a JSON object' };
  if ('arxiv_id' in value) return fromCanonical(value);
  if ('paper' in value) return recordFromHf(value);
  return fromListing(value);
}

function fromListing(value: unknown): RecordResult {
  const r = listing.safeParse(value);
  if (!r.success) return { ok: false, reason: firstIssue(r.error) };
  const id = checkId(r.data.id);
  if (typeof id === 'string') return { ok: false, reason: id };
  return {
    ok: true,
    paper: {
      arxivId: id.id,
      version: id.version,
      title: r.data.title,
      abstract: r.data.abstract,
      authors: r.data.authors,
      categories: r.data.categories,
      comment: r.data.comment ?? undefined,
      announcedOn: r.data.listed,
    },
  };
}

function fromCanonical(value: unknown): RecordResult {
  const r = canonical.safeParse(value);
  if (!r.success) return { ok: false, reason: firstIssue(r.error) };
  const d = r.data;
  const id = checkId(d.arxiv_id);
  if (typeof id === 'string') return { ok: false, reason: id.replace(/^id/, 'arxiv_id') };
  return {
    ok: true,
    paper: {
      arxivId: id.id,
      version: d.version ?? id.version,
      title: d.title,
      abstract: d.abstract,
      authors: d.authors,
      categories: d.categories,
      comment: d.comment,
      journalRef: d.journal_ref,
      doi: d.doi,
      license: d.license,
      submittedAt: d.submitted_at ? new Date(d.submitted_at).toISOString() : d.submitted_at,
      updatedAt: d.updated_at ? new Date(d.updated_at).toISOString() : d.updated_at,
      announcedOn: d.announced_on,
      withdrawn: d.withdrawn,
      hfUpvotes: d.hf_upvotes,
    },
  };
}

/** One element of a Hugging Face daily_papers array; its upvotes are kept as the imported signal. */
export function recordFromHf(value: unknown): RecordResult {
  const r = hf.safeParse(value);
  if (!r.success) return { ok: false, reason: firstIssue(r.error) };
  const p = r.data.paper;
  const id = checkId(p.id);
  if (typeof id === 'string') return { ok: false, reason: `paper.${id}` };
  // HF lists a paper on the day it was featured: the outer publishedAt; paper.publishedAt is arXiv's.
  const listedAt = r.data.publishedAt ?? p.publishedAt;
  if (!listedAt) return { ok: false, reason: 'publishedAt: missing, cannot place the paper on a day' };
  const version = splitVersion(p.id).version;
  return {
    ok: true,
    paper: {
      arxivId: id.id,
      version: id.version ?? (version > 1 ? version : undefined),
      title: p.title,
      abstract: p.summary,
      authors: p.authors.map((a) => a.name).filter(Boolean),
      categories: [],
      submittedAt: p.publishedAt ? new Date(p.publishedAt).toISOString() : undefined,
      announcedOn: new Date(listedAt).toISOString().slice(0, 10),
      hfUpvotes: p.upvotes ?? 0,
    },
  };
}
