// The server-rendered site: every page, the forms' CSRF check, and the HTML error page the shell
// renders for everything outside /api/.
import type { FastifyInstance } from 'fastify';
import type { AppDeps, ErrorPage } from '../http/index.ts';
import { registerCsrf } from './csrf.ts';
import { registerApiDocsRoute } from './pages/api-docs.ts';
import { registerCategoryRoutes } from './pages/categories.ts';
import { registerCommunityRoutes } from './pages/community.ts';
import { registerDigestRoutes } from './pages/digest.ts';
import { errorPage } from './pages/error.ts';
import { registerHomeRoutes } from './pages/home.ts';
import { registerPaperRoutes } from './pages/paper.ts';
import { registerSearchRoutes } from './pages/search.ts';
import { registerStatusRoutes } from './pages/status.ts';
import { registerThumbnailRoutes } from './pages/thumbnails.ts';

export async function registerWebRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  registerCsrf(app, deps.secret);
  registerHomeRoutes(app, deps);
  registerPaperRoutes(app, deps);
  registerCategoryRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerCommunityRoutes(app, deps);
  registerStatusRoutes(app, deps);
  registerThumbnailRoutes(app, deps);
  await registerDigestRoutes(app, deps);
  registerApiDocsRoute(app, deps);
}

export const htmlErrorPage: ErrorPage = (status, message, opts) => errorPage(status, message, opts).value;
