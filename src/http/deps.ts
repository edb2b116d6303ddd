// What every route needs, built once by the process that serves (commands/serve.ts) or by a test,
// and passed to each surface's register function: never global, never rebuilt per surface.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { SearchThreads, SemanticSearch } from '../search/index.ts';
import type { FetchPapers } from '../community/index.ts';
import type { MailSender } from '../mail/index.ts';

export interface AppDeps {
  config: Config;
  log: Logger;
  db: Db;
  now: () => Date;
  /** Semantic search when EMBEDDINGS resolves to a provider; similar papers fall back to keywords without it. */
  semantic: SemanticSearch | undefined;
  /** SQLite: the threads searches run on (SEARCH_THREADS); undefined runs them on the event loop. */
  searchThreads?: SearchThreads | undefined;
  /** Signs tokens in URLs and forms: PAPERBOY_SECRET or the one kept in the store (see instanceSecret). */
  secret: string;
  /** Fetches arXiv metadata for submissions: harvest's fetchArxivPapers, or a loopback server in tests. */
  fetchPapers: FetchPapers;
  /** Sends the mail outbox (sign-in links, digest confirmations): routes queue a mail, then kick it. */
  mail: MailSender;
}
