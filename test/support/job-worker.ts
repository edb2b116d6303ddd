// A worker process for the job tests: runs the pg-boss engine on DATABASE_URL (argv[2]) with one
// job, "record", that writes a row per run into job_run. Prints "ready" once it takes jobs.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openStore } from '../../src/store/db.ts';
import { silentLogger } from '../../src/log.ts';
import { createPgBossQueue } from '../../src/jobs/pg-boss.ts';

const url = process.argv[2]!;
const store = await openStore({ databaseUrl: url, dialect: 'postgres', sqlitePath: undefined });
const queue = createPgBossQueue(url, silentLogger, { pollingIntervalSeconds: 0.5 });
queue.registerJob<{ n: number }>('record', async ({ n }, run) => {
  await sleep(2);
  await sql`insert into job_run (n, pid, attempt) values (${n}, ${process.pid}, ${run.attempt})`.execute(store.db);
}, { concurrency: 2 });
await queue.start({ work: true });
process.stdout.write('ready\n');
await new Promise((resolve) => process.once('SIGTERM', resolve));
await queue.stop(10_000);
await store.close();
