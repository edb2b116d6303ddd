// Pictures of papers' first pages: fetched PDFs rendered by pdftoppm, stored by content hash.
export { makeThumbnails, THUMBNAILS_CRON, THUMBNAILS_JOB, type ThumbnailCounts, type ThumbnailJobDeps } from './job.ts';
export { readThumbnail, saveThumbnail, THUMBNAIL_FILE } from './files.ts';
export { renderFirstPage, pngSize, RenderError } from './render.ts';
