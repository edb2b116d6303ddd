// The Paper type and its conversion from rows.
import { createHash } from 'node:crypto';
import type { PaperLink } from './links.ts';
import type { PaperExtras } from './extras.ts';
import type { PaperTable } from '../store/schema.ts';
import type { Selectable } from 'kysely';

export type PaperRow = Selectable<PaperTable>;

export interface Paper {
  id: number;
  arxivId: string;
  version: number;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  primaryCategory: string;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  submittedAt: string | null;
  updatedAt: string | null;
  announcedOn: string;
  withdrawn: boolean;
  hfUpvotes: number;
  links: PaperLink[];
  /** Key phrases, thumbnail, code stars, Hugging Face facts; absent when the paper was read without them. */
  extras?: PaperExtras;
}

/**
 * What an importer or harvester knows about a paper. A field left undefined is unknown and keeps the
 * stored value; null says the paper has none.
 */
export interface PaperInput {
  arxivId: string;
  version?: number;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  comment?: string | null;
  journalRef?: string | null;
  doi?: string | null;
  license?: string | null;
  submittedAt?: string | null;
  updatedAt?: string | null;
  announcedOn: string;
  withdrawn?: boolean;
  hfUpvotes?: number;
}

export function paperFromRow(row: PaperRow, links: PaperLink[] = []): Paper {
  return {
    id: row.id,
    arxivId: row.arxiv_id,
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as string[],
    categories: JSON.parse(row.categories) as string[],
    primaryCategory: row.primary_category,
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    license: row.license,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    announcedOn: row.announced_on,
    withdrawn: row.withdrawn === 1,
    hfUpvotes: row.hf_upvotes,
    links,
  };
}

/** Stable hash of the stored metadata: equal hashes mean a re-import changes nothing. */
export function hashPaperContent(fields: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 22);
}

export const ARXIV_ABS_URL = 'https://arxiv.org/abs/';
export const ARXIV_PDF_URL = 'https://arxiv.org/pdf/';
