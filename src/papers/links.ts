// Typed links found in an abstract or author comment: code, project pages, Hugging Face artefacts. Pure.

export type LinkKind = 'code' | 'project' | 'hf_model' | 'hf_dataset' | 'hf_space';

export interface PaperLink {
  kind: LinkKind;
  url: string;
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'{}|\\^`\]]+|\b(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)\/[^\s<>"'{}|\\^`\]]+/gi;
const CODE_HOSTS = /^(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com)$/i;
const NOT_PROJECT = /(^|\.)(arxiv\.org|doi\.org|creativecommons\.org|dx\.doi\.org)$/i;

/** Extracts typed links in order of appearance, de-duplicated. */
export function extractLinks(...texts: Array<string | null | undefined>): PaperLink[] {
  const seen = new Set<string>();
  const out: PaperLink[] = [];
  for (const text of texts) {
    if (!text) continue;
    // arXiv's LaTeX-ish text sometimes wraps URLs as \url{...} or splits "https://" with spaces.
    const cleaned = text.replace(/\\url\{([^}]*)\}/g, ' $1 ').replace(/https?:\s*\/\s*\//gi, (m) => m.replace(/\s+/g, ''));
    for (const match of cleaned.matchAll(URL_RE)) {
      const link = classify(trimUrl(match[0]));
      if (!link) continue;
      const key = link.url.toLowerCase().replace(/\/$/, '');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(link);
    }
  }
  return out;
}

function trimUrl(raw: string): string {
  let url = raw.replace(/[.,;:!?)]+$/, '');
  // Keep a closing parenthesis only when balanced inside the URL.
  while (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
  if (!/^https?:\/\//i.test(url)) url = `https://${url}`;
  return url;
}

function classify(raw: string): PaperLink | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname.toLowerCase();
  const parts = url.pathname.split('/').filter(Boolean);
  if (CODE_HOSTS.test(host)) {
    if (parts.length < 2) return undefined; // a bare host or user page is not a repository
    return { kind: 'code', url: `https://${host.replace(/^www\./, '')}/${parts.slice(0, 2).join('/').replace(/\.git$/, '')}` };
  }
  if (host === 'huggingface.co' || host === 'hf.co' || host === 'www.huggingface.co') {
    if (parts[0] === 'datasets' && parts.length >= 3) return { kind: 'hf_dataset', url: `https://huggingface.co/datasets/${parts[1]}/${parts[2]}` };
    if (parts[0] === 'spaces' && parts.length >= 3) return { kind: 'hf_space', url: `https://huggingface.co/spaces/${parts[1]}/${parts[2]}` };
    if (parts[0] === 'papers' || parts[0] === 'docs' || parts[0] === 'blog') return undefined;
    if (parts.length >= 2) return { kind: 'hf_model', url: `https://huggingface.co/${parts[0]}/${parts[1]}` };
    return undefined;
  }
  if (NOT_PROJECT.test(host)) return undefined;
  return { kind: 'project', url: url.toString() };
}
