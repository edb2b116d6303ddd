// Thumbnail files under DATA_DIR/thumbnails, named by the SHA-256 of their content: the same image
// is stored once, a name never changes meaning (so it is cached forever), and a half-written file
// never has a final name (written to a temporary name, then renamed).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const THUMBNAIL_FILE = /^[0-9a-f]{32}\.png$/;

export function thumbnailDir(dataDir: string): string {
  return join(dataDir, 'thumbnails');
}

/** Stores a PNG; returns its file name. */
export async function saveThumbnail(dataDir: string, png: Buffer): Promise<string> {
  const name = `${createHash('sha256').update(png).digest('hex').slice(0, 32)}.png`;
  const dir = thumbnailDir(dataDir);
  const path = join(dir, name);
  const exists = await stat(path).then((s) => s.size === png.length, () => false);
  if (exists) return name;
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, png);
  await rename(tmp, path);
  return name;
}

/** A stored thumbnail's bytes, or undefined for a name that is not one. */
export async function readThumbnail(dataDir: string, name: string): Promise<Buffer | undefined> {
  if (!THUMBNAIL_FILE.test(name)) return undefined;
  return readFile(join(thumbnailDir(dataDir), name)).catch(() => undefined);
}
