// The whole HTTP app: the shell (http/) with every surface's routes. `paperboy serve`, the tests and
// the benchmarks build it here, so all of them run the same server.
import type { FastifyInstance } from 'fastify';
import { createServer, type AppDeps } from './http/index.ts';
import { registerApiRoutes } from './api/index.ts';
import { feedErrorDocument, registerFeedRoutes } from './feeds/index.ts';
import { htmlErrorPage, registerWebRoutes, SESSION_COOKIE } from './web/index.ts';
import { fetchArxivPapers } from './harvest/index.ts';
import { createMailer, MailSender, type Mailer } from './mail/index.ts';
import { searchThreadsFor } from './search/index.ts';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createServer(deps, htmlErrorPage(deps), [feedErrorDocument(deps)], { sessionCookie: SESSION_COOKIE });
  registerApiRoutes(app, deps);
  registerFeedRoutes(app, deps);
  await registerWebRoutes(app, deps);
  return app;
}

/** What a test or benchmark gives; the rest is made by buildOwnApp. */
export type OwnAppOptions = Pick<AppDeps, 'config' | 'log' | 'db' | 'now' | 'secret'> & Partial<AppDeps> & { mailer?: Mailer };

/**
 * The app for a process without background jobs (tests, benchmarks): what is not given is made
 * here, once: no semantic search, search threads as SEARCH_THREADS says, arXiv for submissions, and a mailer from the config with the
 * outbox's sender, both closed with the app.
 */
export async function buildOwnApp(given: OwnAppOptions): Promise<{ app: FastifyInstance; deps: AppDeps }> {
  const { mailer: givenMailer, ...rest } = given;
  const mailer = givenMailer ?? createMailer(given.config, given.log);
  const mail = given.mail ?? new MailSender(given.db, mailer, given.log.child({ module: 'mail' }), { now: given.now });
  const searchThreads = 'searchThreads' in given ? given.searchThreads : searchThreadsFor(given.config, given.log);
  const deps: AppDeps = { semantic: undefined, fetchPapers: fetchArxivPapers, ...rest, mail, searchThreads };
  const app = await buildApp(deps);
  app.addHook('onClose', async () => {
    if (!('searchThreads' in given)) await searchThreads?.close();
    if (!given.mail) await mail.close();
    if (!givenMailer) await mailer.close();
  });
  return { app, deps };
}
