// The library as files: BibTeX (arXiv-style entries, the user's tags as keywords and note as an
// annote field) and JSONL (one saved paper a line: the paper's arXiv id, title, authors, announced
// date, and the user's tags, note, read mark and save time). Pure.
import { paperToBibtex } from '../export/index.ts';
import type { LibraryItem } from './library.ts';

export function libraryItemToBibtex(item: LibraryItem): string {
  const entry = paperToBibtex(item.paper);
  const extra: string[] = [];
  if (item.tags.length > 0) extra.push(`  keywords = {${item.tags.map(bibText).join(', ')}}`);
  if (item.note) extra.push(`  annote = {${bibText(item.note)}}`);
  if (extra.length === 0) return entry;
  return entry.replace(/\n\}\n$/, `,\n${extra.join(',\n')}\n}\n`);
}

export function libraryItemToJson(item: LibraryItem): string {
  return JSON.stringify({
    arxiv_id: item.paper.arxivId,
    title: item.paper.title,
    authors: item.paper.authors,
    categories: item.paper.categories,
    announced_on: item.paper.announcedOn,
    url: `https://arxiv.org/abs/${item.paper.arxivId}`,
    tags: item.tags,
    note: item.note,
    read: item.read,
    saved_at: item.savedAt,
  });
}

/** Braces balanced and BibTeX-special characters escaped, so a note cannot end the entry early. */
function bibText(s: string): string {
  return s.replace(/[\\{}]/g, (c) => `\\${c === '\\' ? 'textbackslash{}' : c}`).replace(/[&%#_$^~]/g, (c) => `\\${c}`).replace(/\n+/g, ' ');
}
