// "/thumbnails/:file" — first-page images the thumbnails job stored under DATA_DIR/thumbnails. A
// file's name is its content hash, so it never changes and is cached for a year.
import type { FastifyInstance } from 'fastify';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { readThumbnail, THUMBNAIL_FILE } from '../../thumbnails/index.ts';

export function registerThumbnailRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { file: string } }>('/thumbnails/:file', async (req, reply) => {
    const { file } = req.params;
    if (!THUMBNAIL_FILE.test(file)) throw new HttpError(404, 'not_found', 'file: not a thumbnail name (32 hex digits and .png)');
    const png = await readThumbnail(deps.config.dataDir, file);
    if (!png) throw new HttpError(404, 'not_found', `There is no thumbnail ${file}.`);
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type('image/png').send(png);
  });
}
