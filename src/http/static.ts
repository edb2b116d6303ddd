// Static assets served from memory under fingerprinted names (/static/style.3f2a9c1b.css), cached
// forever. The files are the web pages' stylesheet, scripts and icon (web/static); the API's
// daily_papers uses the icon too, so serving them belongs to the shell.
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const STATIC_DIR = fileURLToPath(new URL('../web/static/', import.meta.url));
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
  br: Buffer | undefined;
  type: string;
}

const assets = new Map<string, Asset>();
const urls = new Map<string, string>();

for (const file of readdirSync(STATIC_DIR)) {
  const body = readFileSync(join(STATIC_DIR, file));
  const ext = extname(file);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  const name = `${file.slice(0, -ext.length)}.${hash}${ext}`;
  const compressible = ext === '.css' || ext === '.js' || ext === '.svg';
  assets.set(name, {
    body,
    gzip: compressible ? gzipSync(body, { level: 9 }) : undefined,
    br: compressible ? brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }) : undefined,
    type: TYPES[ext] ?? 'application/octet-stream',
  });
  urls.set(file, `/static/${name}`);
}

/** The fingerprinted URL of a file in web/static. */
export function assetUrl(file: string): string {
  const url = urls.get(file);
  if (!url) throw new Error(`no static asset named ${file}`);
  return url;
}

export function registerStatic(app: FastifyInstance): void {
  app.get<{ Params: { name: string } }>('/static/:name', async (req, reply) => {
    const asset = assets.get(req.params.name);
    if (!asset) return reply.code(404).type('text/plain').send('not found');
    reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.type).header('vary', 'accept-encoding');
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (asset.br && /\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(asset.br);
    if (asset.gzip && /\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });
}
