// A PDF's first page as a PNG, by Debian's poppler-utils `pdftoppm` (PDF in on stdin, PNG out on
// stdout: no temporary files). Chosen over pdftocairo (same speed and size here: both poppler) and
// ImageMagick (which calls Ghostscript and is not installed by default); PNG over JPEG because a
// page of text is smaller as PNG (11 KB against 30 KB at 300 px wide). See docs/around-the-paper.md.
import { spawn } from 'node:child_process';

export interface RenderedPage {
  png: Buffer;
  width: number;
  height: number;
}

/** pdftoppm is missing or failed; the message says which. */
export class RenderError extends Error {}

const TIMEOUT_MS = 60_000;
/** Larger output means a broken PDF or a huge page: stop reading. */
const MAX_PNG_BYTES = 8 * 1_048_576;

export function renderFirstPage(pdf: Uint8Array, width: number, command = 'pdftoppm'): Promise<RenderedPage> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-png', '-f', '1', '-l', '1', '-singlefile', '-scale-to-x', String(width), '-scale-to-y', '-1', '-'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_PNG_BYTES) child.kill('SIGKILL');
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new RenderError(err.code === 'ENOENT' ? `${command} is not installed (Debian: apt-get install poppler-utils)` : `${command}: ${err.message}`)),
    );
    // A PDF that pdftoppm stops reading early closes stdin under us: not an error of ours.
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => {
      const png = Buffer.concat(out);
      const dims = pngSize(png);
      if (code !== 0 || !dims) return reject(new RenderError(`${command} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').pop() ?? 'no output'}`));
      resolve({ png, ...dims });
    });
    child.stdin.end(pdf);
  });
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
