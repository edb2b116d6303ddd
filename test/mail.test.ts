import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createMailer, MailError } from '../src/mail/index.ts';
import { silentLogger } from '../src/log.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { tempDir, testConfig } from './helpers.ts';

describe('mail', () => {
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('sends over real SMTP with both parts, headers and a stable Message-ID', async () => {
    const mailer = createMailer(testConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'paperboy <news@paperboy.test>' }), silentLogger);
    const sent = await mailer.send({
      to: 'reader@example.org',
      subject: 'Hello ✉',
      text: 'plain body',
      html: '<p>html body</p>',
      headers: { 'List-Unsubscribe': '<https://paperboy.test/u/x>' },
      messageId: 'fixed.1@paperboy.test',
    });
    await mailer.close();
    expect(sent.messageId).toBe('fixed.1@paperboy.test');
    const [m] = await smtp.waitFor(1);
    expect(m!.to).toEqual(['reader@example.org']);
    expect(m!.parsed.subject).toBe('Hello ✉');
    expect(m!.parsed.text?.trim()).toBe('plain body');
    expect(m!.parsed.html).toContain('<p>html body</p>');
    expect(m!.parsed.messageId).toBe('<fixed.1@paperboy.test>');
    expect(m!.raw).toMatch(/^List-Unsubscribe: <https:\/\/paperboy\.test\/u\/x>$/m);
  });

  it('classifies 5xx as permanent and 4xx as transient', async () => {
    smtp.reject('gone@example.org', 550);
    smtp.reject('busy@example.org', 451);
    const mailer = createMailer(testConfig({ SMTP_URL: smtp.url }), silentLogger);
    const gone = await mailer.send({ to: 'gone@example.org', subject: 's', text: 't' }).catch((e) => e);
    expect(gone).toBeInstanceOf(MailError);
    expect(gone).toMatchObject({ permanent: true, responseCode: 550 });
    const busy = await mailer.send({ to: 'busy@example.org', subject: 's', text: 't' }).catch((e) => e);
    expect(busy).toMatchObject({ permanent: false, responseCode: 451 });
    await mailer.close();
  });

  it('treats a refused connection as transient', async () => {
    const mailer = createMailer(testConfig({ SMTP_URL: 'smtp://127.0.0.1:1' }), silentLogger, { timeoutMs: 2000 });
    const err = await mailer.send({ to: 'a@example.org', subject: 's', text: 't' }).catch((e) => e);
    expect(err).toMatchObject({ permanent: false });
    await mailer.close();
  });

  it('writes .eml files to DATA_DIR/outbox without SMTP_URL', async () => {
    const { dir, cleanup } = tempDir();
    const mailer = createMailer(testConfig({}, dir), silentLogger);
    const sent = await mailer.send({ to: 'me@example.org', subject: 'Sign in', text: 'Your link: http://x/y' });
    const files = readdirSync(join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(sent.file).toBe(join(dir, 'outbox', files[0]!));
    const parsed = await simpleParser(readFileSync(sent.file!));
    expect(parsed.subject).toBe('Sign in');
    expect(parsed.text).toContain('http://x/y');
    cleanup();
  });
});
