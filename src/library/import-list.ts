// Reading the arXiv ids out of what a reading group brings: a BibTeX file (eprint fields, arXiv URLs,
// "arXiv:…" in journal or note fields) or a plain list of ids and URLs, one per line or separated
// by spaces or commas. Pure. Entries without an arXiv id are counted, not guessed at.
import { parseArxivId } from '../papers/index.ts';

export interface ImportList {
  /** Distinct arXiv ids (without version), in the order found. */
  arxivIds: string[];
  /** BibTeX entries or list items in which no arXiv id was found. */
  unrecognised: string[];
}

/** Upper bound on the ids one import may bring; a bigger list is refused rather than cut. */
export const MAX_IMPORT_IDS = 2000;

export function readImportList(text: string): ImportList {
  return /@\w+\s*\{/.test(text) ? readBibtex(text) : readPlainList(text);
}

function readBibtex(text: string): ImportList {
  const ids: string[] = [];
  const unrecognised: string[] = [];
  // Entries start at "@type{"; splitting there is enough to attribute ids to entries.
  for (const entry of text.split(/(?=@\w+\s*\{)/).filter((e) => /^@\w+\s*\{/.test(e))) {
    if (/^@(comment|preamble|string)\b/i.test(entry)) continue;
    const found = idsInText(entry);
    if (found.length === 0) unrecognised.push(/^@\w+\s*\{\s*([^,\s]*)/.exec(entry)?.[1] || entry.slice(0, 40));
    else ids.push(found[0]!);
  }
  return { arxivIds: [...new Set(ids)], unrecognised };
}

function readPlainList(text: string): ImportList {
  const ids: string[] = [];
  const unrecognised: string[] = [];
  for (const item of text.split(/[\s,;]+/).filter((s) => s.length > 0)) {
    const parsed = parseArxivId(item.replace(/^[<("']+|[>)"'.]+$/g, ''));
    if (parsed) ids.push(parsed.id);
    else unrecognised.push(item.slice(0, 80));
  }
  return { arxivIds: [...new Set(ids)], unrecognised };
}

const EPRINT = /\beprint\s*=\s*[{"]\s*(?:arxiv:)?([^}"\s]+)\s*[}"]/i;
const IN_TEXT = /(?:arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*)([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?/gi;

function idsInText(entry: string): string[] {
  const out: string[] = [];
  const eprint = EPRINT.exec(entry);
  if (eprint) {
    const parsed = parseArxivId(eprint[1]!);
    if (parsed) out.push(parsed.id);
  }
  for (const m of entry.matchAll(IN_TEXT)) {
    const parsed = parseArxivId(m[1]!);
    if (parsed) out.push(parsed.id);
  }
  return out;
}
