import type { DigestPaper } from './rank.ts';
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { weekPeriod, type Paper } from '../papers/index.ts';
import { renderDigestContent, personalizeDigest } from './render.ts';
import { composeDigestMessage, encodeQuotedPrintable, prepareDigestMime } from './mime.ts';

const paper: DigestPaper = {
  id: 1, arxivId: '2606.00001', version: 1, title: 'Müller–Schmidt: ∀x. f(x) = 1 ', abstract: `.leading dot\n${'long=line '.repeat(40)}\ttab end \nünïcödé 😀`,
  authors: ['Zoë Ångström'], categories: ['math.LO'], primaryCategory: 'math.LO', comment: null, journalRef: null, doi: null, license: null,
  submittedAt: null, updatedAt: null, announcedOn: '2026-06-30', withdrawn: false, hfUpvotes: 0, upvotes: 0, links: [],
};

describe('digest MIME', () => {
  it('round-trips through a real MIME parser exactly', async () => {
    const content = renderDigestContent({ frequency: 'weekly', period: weekPeriod('2026-W27')!, papers: [paper], baseUrl: 'https://pb.example' });
    const who = { email: 'zoe@example.org', manageUrl: 'https://pb.example/digest/manage?token=1.abc', unsubscribeUrl: 'https://pb.example/digest/unsubscribe/1.abc', reason: 'the weekly digest (all topics)' };
    const raw = composeDigestMessage(prepareDigestMime(content), who, {
      from: 'paperboy <digest@pb.example>', messageId: 'm1@pb.example', date: new Date('2026-07-06T07:00:00Z'),
      headers: { 'List-Unsubscribe': `<${who.unsubscribeUrl}>, <mailto:digest@pb.example?subject=unsubscribe>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(raw.split('\r\n').filter((l) => l.length > 78)).toEqual([]);
    expect(raw).not.toMatch(/[^\r]\n/);
    const parsed = await simpleParser(raw);
    const expected = personalizeDigest(content, who);
    expect(parsed.subject).toBe(content.subject);
    expect(parsed.subject).toContain('–');
    expect(parsed.text).toBe(expected.text);
    expect(parsed.html).toBe(expected.html);
    expect(parsed.messageId).toBe('<m1@pb.example>');
    expect(parsed.date?.toISOString()).toBe('2026-07-06T07:00:00.000Z');
    expect((parsed.from?.value[0])).toMatchObject({ name: 'paperboy', address: 'digest@pb.example' });
  });

  it('encodes quoted-printable with short lines and no bare trailing spaces', () => {
    const qp = encodeQuotedPrintable(`${'a'.repeat(100)} \n= é`);
    expect(qp).toBe(`${'a'.repeat(73)}=\r\n${'a'.repeat(27)}=20\r\n=3D =C3=A9`);
  });
});
