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
// A job holds its slot until both workers have run one (at most 30 s): otherwise the first worker
// to poll can drain all 100 before the other's next poll, and "both take a share" would be timing.
let bothSeen = false;
queue.registerJob<{ n: number }>('record', async ({ n }, run) => {
  await sql`insert into job_run (n, pid, attempt) values (${n}, ${process.pid}, ${run.attempt})`.execute(store.db);
  for (const deadline = Date.now() + 30_000; !bothSeen && Date.now() < deadline; await sleep(20)) {
    const { rows } = await sql<{ n: number }>`select count(distinct pid)::int as n from job_run`.execute(store.db);
    bothSeen = rows[0]!.n >= 2;
  }
}, { concurrency: 2 });
await queue.start({ work: true });
process.stdout.write('ready\n');
await new Promise((resolve) => process.once('SIGTERM', resolve));
await queue.stop(10_000);
await store.close();
