// A loopback SMTP server for benches that send mail: accepts everything, counts messages, keeps none.
import type { AddressInfo } from 'node:net';

export async function startSmtpSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  const { SMTPServer } = await import('smtp-server' as string);
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream: NodeJS.ReadableStream, _session: unknown, cb: () => void) {
      stream.on('data', () => {});
      stream.on('end', () => {
        count++;
        cb();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received: () => count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
