// The HTTP shell's public face: what web, api and feeds build their routes with.
export { tokenOf } from './api-auth.ts';
export { representation, type Representation } from './cache.ts';
export type { AppDeps } from './deps.ts';
export { ApiErrorSchema, HttpError, wantsJson, type ErrorAction } from './errors.ts';
export { categoryFeedLinks, FEED_CATEGORY_RE, FEED_FORMATS, FEED_TYPES, listingFeedLinks, type FeedFormat, type FeedLink } from './feed-links.ts';
export { enforceLimit, searchRunFor } from './limits.ts';
export { changeStamp, markPersonal, pageCacheStats, PAGES_CHANNEL, type PageCacheRule } from './page-cache.ts';
export { dependsOn, OPEN_END } from './page-changes.ts';
export { CHANGE_LEVEL } from '../store/page-change.ts';
export { describeApi } from './openapi.ts';
export { apiRoute, intParam, recordedRoutes, type RecordedRoute, type RouteSpec } from './route.ts';
export { createServer, type ErrorDocument, type ErrorPage } from './server.ts';
export { assetUrl } from './static.ts';
