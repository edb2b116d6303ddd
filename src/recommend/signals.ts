// What a ranking takes: the window's papers and the reader's signals (saved papers as vectors in the
// window's space, follows).
import type { SparseVector } from './text-vectors.ts';

export interface WindowPaper {
  paperId: number;
  announcedOn: string;
  categories: string[];
  /** Author names folded for matching follows (authorKey). */
  authorKeys: string[];
  authors: string[];
}

export interface ProfilePaper {
  paperId: number;
  arxivId: string;
  vector: SparseVector;
  /** 1 for a saved paper; less for weaker signals (an upvote). */
  weight: number;
  tags: string[];
  title: string;
  categories: string[];
}

export interface ReaderSignals {
  papers: ProfilePaper[];
  followedAuthors: Map<string, string>;
  followedCategories: Set<string>;
  /** Window papers matching a saved search, with the query. */
  searchMatches: Map<number, string>;
  /** Papers never to recommend (already saved). */
  exclude: Set<number>;
}
