// The one way paperboy sends mail: SMTP through nodemailer when SMTP_URL is set, otherwise each message
// is written as an .eml file to DATA_DIR/outbox/ so a fresh install can read its own mail.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
  /** A stable Message-ID (without angle brackets) makes retries recognisable; generated when absent. */
  messageId?: string;
  /** Skips nodemailer's per-message scan for the best text encoding (bulk mail with known content). */
  textEncoding?: 'quoted-printable' | 'base64';
}

export interface SentMail {
  messageId: string;
  /** Where a file-outbox message was written; undefined over SMTP. */
  file: string | undefined;
}

export interface Mailer {
  readonly kind: 'smtp' | 'file';
  send(message: MailMessage): Promise<SentMail>;
  /**
   * Sends a complete RFC 5322 message (CRLF line ends, its own Message-ID and Date) to one recipient.
   * For bulk mail rendered ahead of time (digests); optional so other Mailer implementations need not have it.
   */
  sendRaw?(to: string, raw: string, messageId: string): Promise<SentMail>;
  close(): Promise<void>;
}

/**
 * A failed send. `permanent` is true for 5xx SMTP answers (bad mailbox, policy rejection): retrying
 * will not help. Everything else (4xx, network, timeouts) is transient and may be retried.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | undefined,
  ) {
    super(message);
  }
}

export interface MailerOptions {
  /** Concurrent SMTP connections in the pool. */
  maxConnections?: number;
  /** Socket timeouts in ms. */
  timeoutMs?: number;
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir' | 'baseUrl'>, log: Logger, opts: MailerOptions = {}): Mailer {
  const newMessageId = () => createMessageId(config.baseUrl);
  if (config.smtpUrl) {
    const timeout = opts.timeoutMs ?? 30_000;
    const transport: Transporter = nodemailer.createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: opts.maxConnections ?? 4,
      maxMessages: 500,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    return {
      kind: 'smtp',
      async send(m) {
        const messageId = m.messageId ?? newMessageId();
        try {
          await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers, messageId: `<${messageId}>`, textEncoding: m.textEncoding });
        } catch (err) {
          throw classify(err);
        }
        return { messageId, file: undefined };
      },
      async sendRaw(to, raw, messageId) {
        try {
          await transport.sendMail({ envelope: { from: envelopeFrom(config.mailFrom), to: [to] }, raw });
        } catch (err) {
          throw classify(err);
        }
        return { messageId, file: undefined };
      },
      async close() {
        transport.close();
      },
    };
  }
  const outbox = join(config.dataDir, 'outbox');
  mkdirSync(outbox, { recursive: true });
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  log.debug('mail_outbox', { dir: outbox });
  return {
    kind: 'file',
    async send(m) {
      const messageId = m.messageId ?? newMessageId();
      const info = await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers, messageId: `<${messageId}>` });
      const file = writeEml(outbox, messageId, info.message as Buffer);
      // Without SMTP this line is how a new operator finds the sign-in link: it names the file.
      log.info('mail_written', { file, subject: m.subject });
      return { messageId, file };
    },
    async sendRaw(_to, raw, messageId) {
      const file = writeEml(outbox, messageId, Buffer.from(raw));
      log.info('mail_written', { file });
      return { messageId, file };
    },
    async close() {},
  };
}

/** A fresh Message-ID (without angle brackets) in the site's domain. */
export function createMessageId(baseUrl: string): string {
  return `${Date.now().toString(36)}.${randomBytes(8).toString('hex')}@${safeHost(baseUrl)}`;
}

function writeEml(outbox: string, messageId: string, message: Buffer): string {
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${messageId.replace(/[^\w.-]/g, '_')}.eml`;
  const file = join(outbox, name);
  // Write then rename, so a reader never sees half a message.
  writeFileSync(`${file}.tmp`, message);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** The bare address of "name <addr>", for the SMTP envelope (where bounces go). */
function envelopeFrom(mailFrom: string): string {
  const m = /<([^>]+)>/.exec(mailFrom);
  return (m ? m[1]! : mailFrom).trim();
}

function classify(err: unknown): MailError {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const permanent = code !== undefined && code >= 500 && code < 600;
  return new MailError(`${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`, permanent, code);
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}
