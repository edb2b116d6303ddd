// The reply notification mail: what is new in one thread, as plain text and simple HTML (comment
// bodies shown as their escaped source, since mail clients render neither MathML nor our styles). Pure.
import { html, raw, safeUrl } from '../lib/html.ts';

export interface ReplyItem {
  author: string;
  body: string;
  createdAt: string;
  /** False for a new thread on a paper the reader is a verified author of. */
  isReply: boolean;
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";

function excerpt(body: string, max = 1200): string {
  return body.length <= max ? body : `${body.slice(0, max)}…`;
}

export function renderReplyMail(input: { baseUrl: string; arxivId: string; title: string; threadId: number; threadStart: string; email: string; unsubscribeUrl: string; items: ReplyItem[] }): { subject: string; html: string; text: string } {
  const { items } = input;
  const url = `${input.baseUrl}/papers/${input.arxivId}#comment-${input.threadId}`;
  const what = items.length === 1 ? (items[0]!.isReply ? `${items[0]!.author} replied` : `${items[0]!.author} commented`) : `${items.length} new comments`;
  const title = input.title.replace(/\s+/g, ' ').trim();
  const subject = `${what} on “${title.length > 80 ? `${title.slice(0, 79)}…` : title}”`;
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:24px 8px;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid #e3e6eb;border-radius:8px;">
<tr><td style="padding:24px 24px 8px;${raw(FONT)}">
<p style="margin:0 0 8px;font-size:14px;font-weight:700;color:#1a1d23;">📰 paperboy · discussion</p>
<h1 style="margin:0 0 8px;font-size:20px;line-height:1.3;color:#1a1d23;">${what} on <a href="${safeUrl(url)}" style="color:#1a1d23;">${title}</a></h1>
<p style="margin:0;font-size:13px;color:#5b6270;">In the thread: ${excerpt(input.threadStart, 200)}</p>
</td></tr>
${items.map((i) => html`<tr><td style="padding:12px 24px;border-top:1px solid #e3e6eb;${raw(FONT)}">
<p style="margin:0 0 4px;font-size:13px;color:#5b6270;"><strong style="color:#1a1d23;">${i.author}</strong> · ${i.createdAt.slice(0, 16).replace('T', ' ')} UTC</p>
<p style="margin:0;font-size:14px;line-height:1.5;color:#1a1d23;white-space:pre-wrap;">${excerpt(i.body)}</p>
</td></tr>`)}
<tr><td style="padding:16px 24px;border-top:1px solid #e3e6eb;${raw(FONT)}font-size:14px;"><a href="${safeUrl(url)}" style="color:#1d4ed8;">Read and reply on paperboy</a></td></tr>
<tr><td style="padding:16px 24px 24px;border-top:1px solid #e3e6eb;${raw(FONT)}font-size:12px;line-height:1.5;color:#5b6270;">
You receive this at ${input.email} because you turned on mail about replies in discussions you take part in.<br>
<a href="${safeUrl(`${input.baseUrl}/account#notifications`)}" style="color:#5b6270;">Notification settings</a> &middot; <a href="${safeUrl(input.unsubscribeUrl)}" style="color:#5b6270;">Unsubscribe from reply mail</a>
</td></tr>
</table></td></tr></table></body></html>`;
  const lines = [`paperboy · discussion`, `${what} on "${title}"`, '', ...items.flatMap((i) => [`${i.author} (${i.createdAt.slice(0, 16).replace('T', ' ')} UTC):`, excerpt(i.body), '']), `Read and reply: ${url}`, '', '--', `You receive this at ${input.email} because you turned on mail about replies in discussions you take part in.`, `Unsubscribe from reply mail: ${input.unsubscribeUrl}`, ''];
  return { subject, html: body.value, text: lines.join('\n') };
}
