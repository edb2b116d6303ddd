// Digest messages as ready-made MIME. Each shared body is quoted-printable encoded once; a subscriber's
// parts are encoded on their own and spliced in with soft line breaks ("=" CRLF, which decoders remove),
// so a message costs a few string joins instead of a full MIME build. Pure.
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../lib/html.ts';
import { footerHtml, footerText, splitDigestHtml, type DigestContent, type DigestPersonal } from './render.ts';

const HEX = '0123456789ABCDEF';
const MAX_LINE = 73; // leaves room for "=" and an encoded trailing space within RFC 2045's 76

/** Quoted-printable (RFC 2045) with CRLF line breaks. */
export function encodeQuotedPrintable(input: string): string {
  const buf = Buffer.from(input, 'utf8');
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === 10 || (b === 13 && buf[i + 1] === 10)) {
      if (b === 13) i++;
      lines.push(encodeTrailingSpace(line));
      line = '';
      continue;
    }
    const token = (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9 ? String.fromCharCode(b) : `=${HEX[b >> 4]}${HEX[b & 15]}`;
    if (line.length + token.length > MAX_LINE) {
      lines.push(`${line}=`);
      line = '';
    }
    line += token;
  }
  lines.push(encodeTrailingSpace(line));
  return lines.join('\r\n');
}

function encodeTrailingSpace(line: string): string {
  const last = line.charCodeAt(line.length - 1);
  return last === 32 || last === 9 ? `${line.slice(0, -1)}=${HEX[last >> 4]}${HEX[last & 15]}` : line;
}

/** A header value, as RFC 2047 encoded words when it is not plain ASCII. */
function encodeHeaderValue(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  const words: string[] = [];
  let chunk = '';
  for (const ch of flat) {
    if (Buffer.byteLength(chunk + ch) > 39) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** "name <addr>" with a non-ASCII name encoded. */
function encodeAddress(mailbox: string): string {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(mailbox);
  if (!m || !m[1]) return mailbox.trim();
  const name = m[1].replace(/^"|"$/g, '');
  return /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}" <${m[2]}>` : `${encodeHeaderValue(name)} <${m[2]}>`;
}

function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

export interface PreparedDigest {
  subject: string;
  text: string;
  html: [string, string, string];
  boundary: string;
}

/** Encodes a shared body once. */
export function prepareDigestMime(content: DigestContent): PreparedDigest {
  const [a, b, c] = splitDigestHtml(content.html);
  return {
    subject: encodeHeaderValue(content.subject),
    text: encodeQuotedPrintable(content.text),
    html: [encodeQuotedPrintable(a), encodeQuotedPrintable(b), encodeQuotedPrintable(c)],
    // "=_" never occurs in quoted-printable output, so the boundary cannot collide with the body.
    boundary: `----=_pb_${randomBytes(12).toString('hex')}`,
  };
}

export interface Envelope {
  from: string;
  messageId: string;
  date: Date;
  headers: Record<string, string>;
}

/** One subscriber's complete message (CRLF line ends). */
export function composeDigestMessage(p: PreparedDigest, who: DigestPersonal, env: Envelope): string {
  const soft = '=\r\n';
  const extra = Object.entries(env.headers).map(([k, v]) => `${k}: ${v.replace(/,\s*</g, ',\r\n <')}`);
  return [
    `From: ${encodeAddress(env.from)}`,
    `To: ${who.email}`,
    `Subject: ${p.subject}`,
    `Date: ${rfc5322Date(env.date)}`,
    `Message-ID: <${env.messageId}>`,
    ...extra,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative;\r\n boundary="${p.boundary}"`,
    '',
    `--${p.boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    p.text + soft + encodeQuotedPrintable(footerText(who)),
    `--${p.boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    p.html[0] + soft + encodeQuotedPrintable(escapeHtml(who.manageUrl)) + soft + p.html[1] + soft + encodeQuotedPrintable(footerHtml(who)) + soft + p.html[2],
    `--${p.boundary}--`,
    '',
  ].join('\r\n');
}
