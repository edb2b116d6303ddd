import type { DigestPaper } from './rank.ts';
import { describe, expect, it } from 'vitest';
import { dayPeriod, weekPeriod, type Paper } from '../papers/index.ts';
import { digestSubject, personalizeDigest, renderDigestContent } from './render.ts';
import { signSubscriptionToken, tokenSubscriptionId, verifySubscriptionToken } from './tokens.ts';

const paper: DigestPaper = {
  id: 7, arxivId: '2606.00007', version: 1, title: 'Attacks with <script>alert(1)</script> & "quotes"', abstract: 'Word '.repeat(200),
  authors: ['A One', 'B Two', 'C Three', 'D Four', 'E Five'], categories: ['cs.CR'], primaryCategory: 'cs.CR', comment: null, journalRef: null,
  doi: null, license: null, submittedAt: null, updatedAt: null, announcedOn: '2026-06-30', withdrawn: false, hfUpvotes: 3, upvotes: 3,
  links: [{ kind: 'code', url: 'javascript:alert(1)' }],
};

describe('renderDigestContent', () => {
  const content = renderDigestContent({ frequency: 'daily', period: dayPeriod('2026-06-30'), papers: [paper], baseUrl: 'https://pb.example' });

  it('escapes paper text and unsafe links in the HTML part', () => {
    expect(content.html).toContain('Attacks with &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(content.html).not.toMatch(/<script|javascript:/i);
    expect(content.html).toContain('href="https://pb.example/papers/2606.00007"');
  });

  it('writes a readable text part with links from BASE_URL', () => {
    expect(content.text).toContain('1. Attacks with <script>alert(1)</script> & "quotes"');
    expect(content.text).toContain('A One, B Two, C Three, D Four et al.');
    expect(content.text).toContain('https://pb.example/papers/2606.00007');
    expect(content.text.split('\n').every((l) => l.length <= 120)).toBe(true);
  });

  it('fills in one subscriber\'s links, leaving no markers', () => {
    const p = personalizeDigest(content, { email: 'a@b.org', manageUrl: 'https://pb.example/m?t=1', unsubscribeUrl: 'https://pb.example/u/1', reason: 'the daily digest' });
    expect(p.html).not.toContain('<!--pb:');
    expect(p.html).toContain('href="https://pb.example/m?t=1"');
    expect(p.html).toContain('href="https://pb.example/u/1"');
    expect(p.text).toMatch(/Unsubscribe: https:\/\/pb\.example\/u\/1\n$/);
  });

  it('puts the date and count in the subject', () => {
    expect(digestSubject('daily', dayPeriod('2026-06-30'), 1)).toBe('paperboy daily: 1 paper for Tue, 30 Jun 2026');
    expect(digestSubject('weekly', weekPeriod('2026-W27')!, 12)).toMatch(/^paperboy weekly: 12 papers for Week 27, /);
  });
});

describe('subscription tokens', () => {
  it('verify only for the same secret, purpose, id and address', () => {
    const t = signSubscriptionToken('s'.repeat(20), 'unsubscribe', 42, 'a@b.org');
    expect(tokenSubscriptionId(t)).toBe(42);
    expect(verifySubscriptionToken('s'.repeat(20), 'unsubscribe', t, 42, 'a@b.org')).toBe(true);
    expect(verifySubscriptionToken('s'.repeat(20), 'manage', t, 42, 'a@b.org')).toBe(false);
    expect(verifySubscriptionToken('t'.repeat(20), 'unsubscribe', t, 42, 'a@b.org')).toBe(false);
    expect(verifySubscriptionToken('s'.repeat(20), 'unsubscribe', t, 42, 'c@b.org')).toBe(false);
    expect(tokenSubscriptionId('42.short')).toBeUndefined();
  });
});
