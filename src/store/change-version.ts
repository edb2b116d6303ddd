// Tells every process of an instance that shared data changed, so in-process caches and indexes
// (the embeddings' ANN index, for one) catch up. A writer bumps a channel's version inside its
// transaction; watchers see the new version on PostgreSQL at commit through LISTEN/NOTIFY, and by
// polling the counter (the only way on SQLite, and the safety net after a lost connection).
import { sql } from 'kysely';
import type { Logger } from '../log.ts';
import type { Db, Tx } from './db.ts';
import { dialectOf } from './dialect.ts';
import { createPostgresClient } from './postgres.ts';

const NOTIFY_CHANNEL = 'paperboy_change';

/** Increments a channel's version in the caller's transaction and returns it; notifies on commit. */
export async function bumpVersion(tx: Db | Tx, channel: string): Promise<number> {
  const row = await tx
    .insertInto('change_version')
    .values({ channel, version: 1 })
    .onConflict((oc) => oc.column('channel').doUpdateSet({ version: sql<number>`change_version.version + 1` }))
    .returning('version')
    .executeTakeFirstOrThrow();
  // NOTIFY inside a transaction is delivered when it commits, and not at all on rollback.
  if (dialectOf(tx) === 'postgres') await sql`select pg_notify(${NOTIFY_CHANNEL}, ${`${channel}:${row.version}`})`.execute(tx);
  return row.version;
}

/**
 * A channel's version now. Read before every search (its result cache keys on it), so written as
 * plain SQL: the query builder's compilation cost three times the statement itself (46 against
 * 15 µs a read).
 */
export async function currentVersion(db: Db, channel: string): Promise<number> {
  const { rows } = await sql<{ version: number }>`SELECT version FROM change_version WHERE channel = ${channel}`.execute(db);
  return Number(rows[0]?.version ?? 0);
}

export interface WatchOptions {
  /** How often to read the counter (default 1 s on SQLite, 10 s on PostgreSQL where NOTIFY is the fast path). */
  pollMs?: number;
  log?: Logger;
}

export interface VersionWatcher {
  /** The last version handed to onChange (or seen at start). */
  readonly version: number;
  /** Reads the counter now (after a write in this process, say) rather than at the next poll. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Calls onChange(version) whenever the channel's version rises. Calls never overlap; changes that
 * arrive during a call are folded into one more call with the latest version.
 */
export async function watchVersion(
  store: { db: Db; databaseUrl: string },
  channel: string,
  onChange: (version: number) => Promise<void> | void,
  opts: WatchOptions = {},
): Promise<VersionWatcher> {
  const postgres = dialectOf(store.db) === 'postgres';
  let seen = await currentVersion(store.db, channel);
  let latest = seen;
  let running: Promise<void> | undefined;
  let stopped = false;

  const deliver = () => {
    if (running || stopped || latest <= seen) return;
    running = (async () => {
      while (!stopped && latest > seen) {
        const target = latest;
        try {
          await onChange(target);
          seen = target;
        } catch (err) {
          opts.log?.error('change_handler_failed', { channel, version: target, error: err });
          break; // retried on the next poll or notification
        }
      }
    })().finally(() => {
      running = undefined;
    });
  };
  const poll = async () => {
    try {
      latest = Math.max(latest, await currentVersion(store.db, channel));
      deliver();
    } catch (err) {
      opts.log?.warn('change_poll_failed', { channel, error: err });
    }
  };
  const timer = setInterval(() => void poll(), opts.pollMs ?? (postgres ? 10_000 : 1_000));
  timer.unref();

  const listener = postgres ? await listen(store.databaseUrl, channel, (v) => {
    latest = Math.max(latest, v);
    deliver();
  }, opts.log, () => stopped, poll) : undefined;

  return {
    get version() {
      return seen;
    },
    async check() {
      await poll();
      await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener?.close();
      await running;
    },
  };
}

/** A LISTEN connection that reconnects after errors (polling covers the gap). */
async function listen(url: string, channel: string, onVersion: (v: number) => void, log: Logger | undefined, isStopped: () => boolean, resync: () => Promise<void>) {
  let client: ReturnType<typeof createPostgresClient> | undefined;
  let retry: NodeJS.Timeout | undefined;
  const reconnectSoon = () => {
    if (!isStopped()) retry = setTimeout(() => void connect().then(resync, reconnectSoon), 1_000).unref();
  };
  const connect = async () => {
    const c = createPostgresClient(url);
    c.on('notification', (msg) => {
      const [name, version] = (msg.payload ?? '').split(':');
      if (name === channel && version) onVersion(Number(version));
    });
    c.on('error', (err) => {
      log?.warn('change_listen_lost', { channel, error: err });
      void c.end().catch(() => undefined);
      reconnectSoon();
    });
    await c.connect();
    await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
    client = c;
  };
  await connect();
  return {
    async close() {
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
