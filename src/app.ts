// The whole HTTP app: the shell (http/) with every surface's routes. `paperboy serve`, the tests and
// the benchmarks build it here, so all of them run the same server.
import type { FastifyInstance } from 'fastify';
import { createServer, type AppDeps } from './http/index.ts';
import { registerApiRoutes } from './api/index.ts';
import { registerFeedRoutes } from './feeds/index.ts';
import { htmlErrorPage, registerWebRoutes } from './web/index.ts';
import { fetchArxivPapers } from './harvest/index.ts';
import { createMailer } from './mail/index.ts';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createServer(deps, htmlErrorPage);
  registerApiRoutes(app, deps);
  registerFeedRoutes(app, deps);
  await registerWebRoutes(app, deps);
  return app;
}

type OwnDeps = Pick<AppDeps, 'config' | 'log' | 'db' | 'dialect' | 'now' | 'secret'> & Partial<AppDeps>;

/**
 * The app for a process without background jobs (tests, benchmarks): what is not given is made
 * here, once: no semantic search, arXiv for submissions, and a mailer from the config that closes
 * with the app.
 */
export async function buildOwnApp(given: OwnDeps): Promise<{ app: FastifyInstance; deps: AppDeps }> {
  const mailer = given.mailer ?? createMailer(given.config, given.log);
  const deps: AppDeps = { semantic: undefined, fetchPapers: fetchArxivPapers, ...given, mailer };
  const app = await buildApp(deps);
  if (!given.mailer) app.addHook('onClose', () => mailer.close());
  return { app, deps };
}
