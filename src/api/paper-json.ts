// The public JSON shape of a paper.
import { ARXIV_ABS_URL, ARXIV_PDF_URL, type Paper } from '../papers/index.ts';

export interface PaperJson {
  id: string;
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
  /** local: votes on this instance; hf: imported from Hugging Face, kept apart. */
  upvotes: { local: number; hf: number };
  links: Array<{ kind: string; url: string }>;
  urls: { page: string; abs: string; pdf: string };
}

export function paperToJson(p: Paper, baseUrl: string, localUpvotes = 0): PaperJson {
  return {
    id: p.arxivId,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    primaryCategory: p.primaryCategory,
    comment: p.comment,
    journalRef: p.journalRef,
    doi: p.doi,
    license: p.license,
    submittedAt: p.submittedAt,
    updatedAt: p.updatedAt,
    announcedOn: p.announcedOn,
    withdrawn: p.withdrawn,
    upvotes: { local: localUpvotes, hf: p.hfUpvotes },
    links: p.links,
    urls: { page: `${baseUrl}/papers/${p.arxivId}`, abs: `${ARXIV_ABS_URL}${p.arxivId}`, pdf: `${ARXIV_PDF_URL}${p.arxivId}` },
  };
}
