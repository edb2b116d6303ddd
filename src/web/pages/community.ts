// Registers the community pages: sign-in, account, votes, submissions, curators.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/index.ts';
import { registerAccountRoutes } from './account.ts';
import { registerCurateRoutes } from './curate.ts';
import { registerSignInRoutes } from './signin.ts';
import { registerSubmitRoutes } from './submit.ts';
import { registerVoteRoutes } from './votes.ts';

export function registerCommunityRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerSignInRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerVoteRoutes(app, deps);
  registerSubmitRoutes(app, deps);
  registerCurateRoutes(app, deps);
}
