// The digest mail: a shared body per (period, papers) and the per-subscriber parts filled in at send
// time. HTML for mail clients: nested tables, inline CSS, no scripts, images or remote fonts. Pure.
import type { DigestPaper } from './rank.ts';
import { escapeHtml, html, raw, safeUrl, type RawHtml } from '../lib/html.ts';
import { ARXIV_ABS_URL, ARXIV_PDF_URL, describePeriod, parseDay, type Paper, type Period } from '../papers/index.ts';
import type { Frequency } from './preferences.ts';
import { countOf } from '../lib/words.ts';

export interface DigestContent {
  subject: string;
  html: string;
  text: string;
}

export interface DigestRenderInput {
  frequency: Frequency;
  period: Period;
  papers: readonly DigestPaper[];
  baseUrl: string;
  /** Key phrases rising this week (the trends page's), best first. */
  rising?: readonly string[];
}

/** Per-subscriber parts: links carry signed tokens, so they cannot live in the shared body. */
export interface DigestPersonal {
  email: string;
  manageUrl: string;
  unsubscribeUrl: string;
  /** Why they get it, e.g. "the daily digest (categories cs.CL)". */
  reason: string;
}

// Markers in the shared HTML. Paper text is escaped before it reaches the body, so it can never contain "<!--".
const MANAGE_MARK = '<!--pb:manage-url-->';
const FOOTER_MARK = '<!--pb:footer-->';

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const MUTED = 'color:#5b6270;';

export function digestSubject(frequency: Frequency, period: Period, count: number): string {
  const papers = countOf(count, 'paper');
  if (frequency === 'daily') {
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(parseDay(period.start));
    return `paperboy daily: ${papers} for ${day}`;
  }
  return `paperboy weekly: ${papers} for ${describePeriod(period)}`;
}

function periodListingUrl(baseUrl: string, period: Period): string {
  return `${baseUrl}/?${period.kind === 'day' ? 'date' : period.kind}=${period.key}`;
}

function snippet(abstract: string, max = 300): string {
  const flat = abstract.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 40))}…`;
}

function authorLine(authors: readonly string[]): string {
  return authors.length <= 4 ? authors.join(', ') : `${authors.slice(0, 4).join(', ')} et al.`;
}

function metaLine(p: DigestPaper, rank: number): string {
  return [`#${rank}`, p.primaryCategory, p.upvotes > 0 ? `▲ ${p.upvotes}` : ''].filter(Boolean).join(' · ');
}

/** The model's summary, else the extracted TL;DR, else the abstract's opening. */
function summaryOf(p: DigestPaper): string {
  return p.extras?.aiSummary ?? p.extras?.tldr ?? snippet(p.abstract);
}

function phrasesOf(p: DigestPaper): string[] {
  const e = p.extras;
  return (e?.aiKeywords && e.aiKeywords.length > 0 ? e.aiKeywords : (e?.keyPhrases ?? [])).slice(0, 4);
}

function searchUrl(baseUrl: string, phrase: string): string {
  return `${baseUrl}/search?${String(new URLSearchParams({ q: `"${phrase.replace(/"/g, '')}"` }))}`;
}

function paperRow(p: DigestPaper, rank: number, baseUrl: string): RawHtml {
  const code = p.links.find((l) => l.kind === 'code');
  const link = (href: string, label: string) => html`<a href="${safeUrl(href)}" style="color:#1d4ed8;text-decoration:underline;">${label}</a>`;
  const links = [link(`${baseUrl}/papers/${p.arxivId}`, 'Details'), link(`${ARXIV_ABS_URL}${p.arxivId}`, 'arXiv'), link(`${ARXIV_PDF_URL}${p.arxivId}`, 'PDF')];
  if (code) links.push(link(code.url, 'Code'));
  return html`<tr><td style="padding:16px 24px;border-top:1px solid #e3e6eb;${FONT}">
<p style="margin:0 0 4px;font-size:13px;${MUTED}">${metaLine(p, rank)}</p>
<p style="margin:0 0 4px;font-size:17px;line-height:1.35;font-weight:600;"><a href="${safeUrl(`${baseUrl}/papers/${p.arxivId}`)}" style="color:#1a1d23;text-decoration:none;">${p.title}</a></p>
<p style="margin:0 0 6px;font-size:14px;${MUTED}">${authorLine(p.authors)}</p>
<p style="margin:0 0 8px;font-size:14px;line-height:1.5;color:#1a1d23;">${summaryOf(p)}</p>
${phrasesOf(p).length > 0 ? html`<p style="margin:0 0 8px;font-size:13px;${MUTED}">${phrasesOf(p).map((k, i) => html`${i > 0 ? raw(' &middot; ') : ''}<a href="${safeUrl(searchUrl(baseUrl, k))}" style="color:#3730a3;text-decoration:none;">${k}</a>`)}</p>` : ''}
<p style="margin:0;font-size:14px;">${links.map((l, i) => html`${i > 0 ? raw(' &middot; ') : ''}${l}`)}</p>
</td></tr>`;
}

/** The shared body: everything but the subscriber's links. */
export function renderDigestContent(input: DigestRenderInput): DigestContent {
  const { frequency, period, papers, baseUrl } = input;
  const rising = input.rising ?? [];
  const topicUrl = (t: string) => `${baseUrl}/trends/topic?${String(new URLSearchParams({ phrase: t }))}`;
  const subject = digestSubject(frequency, period, papers.length);
  const heading = `${countOf(papers.length, 'paper')} · ${describePeriod(period)}`;
  const listing = periodListingUrl(baseUrl, period);
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>${subject}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${papers[0] ? `Top paper: ${papers[0].title}` : ''}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background:#ffffff;border:1px solid #e3e6eb;border-radius:8px;">
<tr><td style="padding:24px 24px 12px;${FONT}">
<p style="margin:0 0 8px;font-size:14px;font-weight:700;color:#1a1d23;">📰 paperboy · ${frequency} digest</p>
<h1 style="margin:0 0 8px;font-size:22px;line-height:1.3;color:#1a1d23;">${heading}</h1>
<p style="margin:0;font-size:13px;${MUTED}">Ranked by the community. <a href="${raw(MANAGE_MARK)}" style="color:#1d4ed8;">Manage preferences</a></p>
</td></tr>
${rising.length > 0 ? html`<tr><td style="padding:0 24px 12px;${FONT}font-size:14px;color:#1a1d23;"><strong>Rising this week:</strong> ${rising.map((t, i) => html`${i > 0 ? raw(' &middot; ') : ''}<a href="${safeUrl(topicUrl(t))}" style="color:#3730a3;">${t}</a>`)}</td></tr>` : ''}
${papers.map((p, i) => paperRow(p, i + 1, baseUrl))}
<tr><td style="padding:16px 24px;border-top:1px solid #e3e6eb;${FONT}font-size:14px;">
<a href="${safeUrl(listing)}" style="color:#1d4ed8;">See every paper announced in this period</a>
</td></tr>
${raw(FOOTER_MARK)}
</table>
</td></tr>
</table>
</body>
</html>`;

  const lines = [`paperboy · ${frequency} digest`, heading, ''];
  if (rising.length > 0) lines.push(`Rising this week: ${rising.join(' · ')}`, `  ${baseUrl}/trends`, '');
  papers.forEach((p, i) => {
    lines.push(`${i + 1}. ${p.title.replace(/\s+/g, ' ')}`, `   ${authorLine(p.authors)}`, `   ${metaLine(p, i + 1).replace(/^#\d+ · /, '')}`, '', wrap(summaryOf(p), 72, '   '), '');
    if (phrasesOf(p).length > 0) lines.push(`   Key phrases: ${phrasesOf(p).join(' · ')}`, '');
    lines.push(`   ${baseUrl}/papers/${p.arxivId}`, '');
  });
  lines.push(`See every paper announced in this period: ${listing}`, '');
  return { subject, html: body.value, text: lines.join('\n') };
}

export function footerHtml(who: DigestPersonal): string {
  return html`<tr><td style="padding:16px 24px 24px;border-top:1px solid #e3e6eb;${FONT}font-size:12px;line-height:1.5;${MUTED}">
You receive this at ${who.email} because you subscribed to ${who.reason}.<br>
<a href="${safeUrl(who.manageUrl)}" style="color:#5b6270;">Manage preferences</a> &middot; <a href="${safeUrl(who.unsubscribeUrl)}" style="color:#5b6270;">Unsubscribe</a>
</td></tr>`.value;
}

export function footerText(who: DigestPersonal): string {
  return `\n--\nYou receive this at ${who.email} because you subscribed to ${who.reason}.\nManage preferences: ${who.manageUrl}\nUnsubscribe: ${who.unsubscribeUrl}\n`;
}

/** The shared HTML cut where the subscriber's parts go: [before the manage URL, up to the footer, after it]. */
export function splitDigestHtml(htmlBody: string): [string, string, string] {
  const [a, rest] = htmlBody.split(MANAGE_MARK) as [string, string];
  const [b, c] = rest.split(FOOTER_MARK) as [string, string];
  return [a, b, c];
}

/** Fills in one subscriber's links. */
export function personalizeDigest(content: Pick<DigestContent, 'html' | 'text'>, who: DigestPersonal): { html: string; text: string } {
  const [a, b, c] = splitDigestHtml(content.html);
  return { html: a + escapeHtml(who.manageUrl) + b + footerHtml(who) + c, text: content.text + footerText(who) };
}

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}
