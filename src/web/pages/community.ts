// Registers the community pages: sign-in, account, votes, submissions, curators.
import type { FastifyInstance } from 'fastify';
import type { MailSender } from '../../mail/index.ts';
import { fetchArxivPapers } from '../../harvest/index.ts';
import type { AppDeps } from '../app.ts';
import { registerAccountRoutes } from './account.ts';
import { registerCurateRoutes } from './curate.ts';
import { registerSignInRoutes } from './signin.ts';
import { registerSubmitRoutes } from './submit.ts';
import { registerVoteRoutes } from './votes.ts';

export function registerCommunityRoutes(app: FastifyInstance, deps: AppDeps, mail: MailSender): void {
  registerSignInRoutes(app, deps, mail);
  registerAccountRoutes(app, deps);
  registerVoteRoutes(app, deps);
  registerSubmitRoutes(app, deps, deps.fetchPapers ?? fetchArxivPapers);
  registerCurateRoutes(app, deps);
}
