// A real SMTP server on loopback for tests: records what arrives, can refuse recipients on demand.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtp {
  url: string;
  messages: ReceivedMail[];
  /** Answer RCPT TO for an address with this SMTP code (e.g. 550 hard bounce, 451 try later). */
  reject(address: string, code: number): void;
  /**
   * From now on no message is accepted until messages from `sessions` senders (SMTP users, e.g.
   * smtp://a@… and smtp://b@…) are waiting at once (at most 30 s), so a race test knows that many
   * senders really took part.
   */
  holdUntilSessions(sessions: number): void;
  /** Waits until at least n messages have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** `port` 0 (default) picks a free one; a fixed port lets a test bring "the" SMTP server up late. */
export async function startTestSmtp(opts: { delayMs?: number; port?: number } = {}): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const waiting = new Set<string>();
  let holdUntilSessions = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const rejects = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username || 'test' });
    },
    onRcptTo(address, _session, cb) {
      const code = rejects.get(address.address.toLowerCase());
      if (code) {
        const err = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (holdUntilSessions > 0) {
          // Senders are told apart by the SMTP user they log in as (one mailer may open several sessions).
          waiting.add(String(session.user ?? session.id));
          if (waiting.size >= holdUntilSessions) release();
          await Promise.race([released, new Promise((r) => setTimeout(r, 30_000).unref())]);
        }
        // A slow server widens the window in which a client can die mid-send (kill-and-resume tests).
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed: await simpleParser(raw),
        });
        cb();
      });
    },
  });
  server.on('error', () => {}); // a client killed mid-session resets its connection: expected in resume tests
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    reject: (address, code) => rejects.set(address.toLowerCase(), code),
    holdUntilSessions: (sessions) => {
      holdUntilSessions = sessions;
    },
    async waitFor(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} messages, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
