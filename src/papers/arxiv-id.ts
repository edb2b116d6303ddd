// arXiv identifiers in every form users paste. Pure.
//   new style: 2503.01234, 2503.01234v2, 0704.0001 (4-digit sequence before 2015)
//   old style: hep-th/9901001, math.GT/0309136
//   prefixed:  arXiv:2503.01234
//   URLs:      https://arxiv.org/abs/2503.01234v2, /pdf/2503.01234v2(.pdf), export.arxiv.org, alphaxiv, hf.co/papers

export interface ArxivId {
  /** The id without version: 2503.01234 or hep-th/9901001. */
  id: string;
  /** The version asked for, when the input named one. */
  version: number | undefined;
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

export const ARXIV_ID_HELP =
  'an arXiv id looks like 2503.01234 (optionally with a version, 2503.01234v2), arXiv:2503.01234, ' +
  'an old-style id such as hep-th/9901001, or a URL like https://arxiv.org/abs/2503.01234';

/** Parses any pasted form of an arXiv id; undefined when it is not one. */
export function parseArxivId(input: string): ArxivId | undefined {
  let s = input.trim();
  if (s.length === 0 || s.length > 300) return undefined;
  const url = tryUrl(s);
  if (url) {
    const decoded = decodePath(url.pathname);
    if (decoded === undefined) return undefined; // a malformed %-escape: not an id anyone could mean
    const path = decoded.replace(/\/+$/, '');
    const m = /\/(?:abs|pdf|html|papers|format|ps)\/(.+)$/.exec(path);
    if (!m) return undefined;
    s = m[1]!.replace(/\.pdf$/i, '');
  }
  s = s.replace(/^arxiv:\s*/i, '');
  const fresh = NEW_STYLE.exec(s);
  if (fresh) return validNew(fresh[1]!) ? { id: fresh[1]!, version: versionOf(fresh[2]) } : undefined;
  const old = OLD_STYLE.exec(s);
  if (old) return { id: old[1]!, version: versionOf(old[2]) };
  return undefined;
}

function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function tryUrl(s: string): URL | undefined {
  if (!/^(https?:\/\/|(www\.)?(export\.)?arxiv\.org\/|huggingface\.co\/|hf\.co\/|(www\.)?alphaxiv\.org\/)/i.test(s)) return undefined;
  try {
    const url = new URL(/^https?:\/\//i.test(s) ? s : `https://${s}`);
    return /(^|\.)(arxiv\.org|huggingface\.co|hf\.co|alphaxiv\.org)$/i.test(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

function versionOf(raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : Number(raw);
}

function validNew(id: string): boolean {
  const month = Number(id.slice(2, 4));
  const seq = id.slice(5);
  const year = Number(id.slice(0, 2));
  if (month < 1 || month > 12) return false;
  // 4-digit sequences until 1412, 5-digit from 1501.
  return year < 15 ? seq.length === 4 : seq.length === 5;
}

/** Splits "2503.01234v3" into id and version; used for ids that arrive with a version (Atom, OAI). */
export function splitVersion(raw: string): { id: string; version: number } {
  const m = /^(.*?)v(\d+)$/.exec(raw);
  return m ? { id: m[1]!, version: Number(m[2]) } : { id: raw, version: 1 };
}
