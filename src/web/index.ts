// The server-rendered site: every page, the forms' CSRF check, and the HTML error page the shell
// renders for everything outside /api/.
import type { FastifyInstance } from 'fastify';
import type { AppDeps, ErrorPage } from '../http/index.ts';
import { registerCsrf } from './csrf.ts';
import { registerFlash } from './flash.ts';
import { registerApiDocsRoute } from './pages/api-docs.ts';
import { registerCategoryRoutes } from './pages/categories.ts';
import { registerCommunityRoutes } from './pages/community.ts';
import { registerCurateDiscussionRoutes } from './pages/curate-discussion.ts';
import { registerDiscussionRoutes } from './pages/discussion.ts';
import { registerPeopleRoutes } from './pages/people.ts';
import { registerDigestRoutes } from './pages/digest.ts';
import { errorPage } from './pages/error.ts';
import { registerHomeRoutes } from './pages/home.ts';
import { registerPaperRoutes } from './pages/paper.ts';
import { registerSearchRoutes } from './pages/search.ts';
import { registerStatusRoutes } from './pages/status.ts';
import { viewerOf } from './session.ts';
export { SESSION_COOKIE } from './session.ts';
import { registerThumbnailRoutes } from './pages/thumbnails.ts';
import { registerTrendRoutes } from './pages/trends.ts';
import { registerCollectionRoutes } from './pages/collections.ts';
import { registerFollowRoutes } from './pages/follows.ts';
import { registerForYouRoutes } from './pages/for-you.ts';
import { registerLibraryRoutes } from './pages/library.ts';
import { registerPersonalFeedRoutes } from './pages/personal-feeds.ts';

export async function registerWebRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  registerCsrf(app, deps.secret);
  registerFlash(app, deps);
  registerHomeRoutes(app, deps);
  registerPaperRoutes(app, deps);
  registerCategoryRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerCommunityRoutes(app, deps);
  registerDiscussionRoutes(app, deps);
  registerPeopleRoutes(app, deps);
  registerCurateDiscussionRoutes(app, deps);
  registerStatusRoutes(app, deps);
  registerThumbnailRoutes(app, deps);
  registerTrendRoutes(app, deps);
  registerLibraryRoutes(app, deps);
  registerForYouRoutes(app, deps);
  registerFollowRoutes(app, deps);
  registerCollectionRoutes(app, deps);
  registerPersonalFeedRoutes(app, deps);
  await registerDigestRoutes(app, deps);
  registerApiDocsRoute(app, deps);
}

/** The HTML error page, naming who is signed in (a store too broken to say shows the sign-in link). */
export function htmlErrorPage(deps: AppDeps): ErrorPage {
  return async (req, status, message, opts) => {
    const viewer = await viewerOf(deps, req).catch(() => undefined);
    return errorPage(status, message, { ...opts, viewer: viewer ?? null }).value;
  };
}
