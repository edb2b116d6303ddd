// Copies every table of one paperboy database into another (SQLite ⇄ PostgreSQL) in one target
// transaction, then compares row counts and per-table checksums. Tables are discovered from the
// catalog, so tables added by later migrations are copied without changes here.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../config.ts';
import type { Db } from './db.ts';
import { dialectOf } from './dialect.ts';
import { dependencyOrder, listTables, type TableInfo } from './introspect.ts';

export interface TransferSide {
  db: Db;
}

export interface TableComparison {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

export interface CopyOptions {
  /** Empty a non-empty target first instead of refusing. */
  force?: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export class TransferError extends Error {}

/** Tables triggers fill from other tables' rows (vote_day from vote): the target's triggers rebuild them as those rows arrive. */
const DERIVED = new Set(['vote_day']);
/** Logs of changes for the processes running on one database (page_change): neither copied nor compared. */
const LOGS = new Set(['page_change']);

/** Copies all rows; the target must be migrated to the same version and empty (or `force`). */
export async function copyDatabase(from: TransferSide, to: TransferSide, opts: CopyOptions = {}): Promise<{ tables: string[]; rows: number }> {
  const sourceTables = dependencyOrder(await listTables(from.db));
  const targetTables = new Map((await listTables(to.db)).map((t) => [t.name, t]));
  for (const t of sourceTables) {
    const target = targetTables.get(t.name);
    if (!target) throw new TransferError(`the target has no table "${t.name}": migrate both databases with the same paperboy version`);
    const missing = t.columns.filter((c) => !target.columns.some((tc) => tc.name === c.name)).map((c) => c.name);
    if (missing.length > 0) throw new TransferError(`the target's table "${t.name}" lacks columns ${missing.join(', ')}: migrate both databases with the same paperboy version`);
  }
  // One read transaction on the source, so the copy is a consistent snapshot even if something
  // still writes to it; one write transaction on the target, so a failed copy leaves nothing.
  const read = from.db.transaction();
  const targetDialect = dialectOf(to.db);
  let done = 0;
  await (dialectOf(from.db) === 'postgres' ? read.setIsolationLevel('repeatable read') : read).execute(async (src) => {
    let total = 0;
    for (const t of sourceTables) if (!DERIVED.has(t.name) && !LOGS.has(t.name)) total += await countRows(src, t.name);
    await (to.db as Kysely<any>).transaction().execute(async (tx) => {
      const filled: string[] = [];
      for (const t of sourceTables) if ((await countRows(tx, t.name)) > 0) filled.push(t.name);
      if (filled.length > 0 && !opts.force) {
        throw new TransferError(`the target is not empty (rows in ${filled.join(', ')}); use --force to replace its contents`);
      }
      for (const t of [...sourceTables].reverse()) await tx.deleteFrom(t.name).execute();
      for (const t of sourceTables) {
        if (DERIVED.has(t.name) || LOGS.has(t.name)) continue;
        const target = targetTables.get(t.name)!;
        const types = new Map(target.columns.map((c) => [c.name, c.type]));
        // Bound parameters per statement are limited (SQLite 32766, PostgreSQL 65535).
        const batch = Math.max(1, Math.min(opts.batchSize ?? 1000, Math.floor(30_000 / t.columns.length)));
        for await (const rows of readRows(src, t, batch)) {
          const values = rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.name, toTarget(r[c.name], types.get(c.name)!, targetDialect)])));
          await tx.insertInto(t.name).values(values).execute();
          done += rows.length;
          opts.onProgress?.(done, total);
        }
        if (targetDialect === 'postgres') await resetSequences(tx, target);
      }
    });
  });
  // Fresh planner statistics, so the first queries on the new database use its indexes.
  if (dialectOf(to.db) === 'postgres') await sql`analyze`.execute(to.db);
  return { tables: sourceTables.map((t) => t.name), rows: done };
}

/** Row counts and order-independent checksums of every table, side by side. */
export async function compareDatabases(from: TransferSide, to: TransferSide): Promise<TableComparison[]> {
  const sourceTables = dependencyOrder(await listTables(from.db));
  const targetTables = new Map((await listTables(to.db)).map((t) => [t.name, t]));
  const out: TableComparison[] = [];
  for (const t of sourceTables) {
    if (LOGS.has(t.name)) continue;
    const target = targetTables.get(t.name);
    // A column's kind as both sides declare it, so 1 and true, or '{"a":1}' and {a:1}, hash alike.
    const kinds = new Map(t.columns.map((c) => [c.name, kindOf(c.type, target?.columns.find((tc) => tc.name === c.name)?.type)]));
    const source = await tableChecksum(from.db, t, kinds);
    const dest = target ? await tableChecksum(to.db, { ...target, columns: t.columns.filter((c) => target.columns.some((tc) => tc.name === c.name)) }, kinds) : { rows: 0, checksum: '-' };
    out.push({ table: t.name, sourceRows: source.rows, targetRows: dest.rows, sourceChecksum: source.checksum, targetChecksum: dest.checksum, ok: source.rows === dest.rows && source.checksum === dest.checksum });
  }
  return out;
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reads a table in key order, `batch` rows at a time (keyset pagination on the primary key). */
async function* readRows(db: Kysely<any>, t: TableInfo, batch: number): AsyncGenerator<Array<Record<string, unknown>>> {
  const key = t.primaryKey;
  const order = sql.join((key.length > 0 ? key : t.columns.map((c) => c.name)).map((k) => sql.id(k)));
  let last: unknown[] | undefined;
  let offset = 0;
  for (;;) {
    let where: RawBuilder<unknown> = sql``;
    if (key.length > 0 && last) where = sql`where (${order}) > (${sql.join(last.map((v) => sql`${v}`))})`;
    const tail = key.length > 0 ? sql`limit ${batch}` : sql`limit ${batch} offset ${offset}`;
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t.name)} ${where} order by ${order} ${tail}`.execute(db)).rows;
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    const end = rows[rows.length - 1]!;
    last = key.map((k) => end[k]);
    offset += rows.length;
  }
}

/** Converts a value read from one dialect to what the other stores: booleans, JSON, dates. */
function toTarget(value: unknown, type: string, dialect: Dialect): unknown {
  if (value === null || value === undefined) return null;
  if (dialect === 'postgres') {
    if (type === 'boolean' && typeof value !== 'boolean') return value === 1 || value === '1' || value === 'true';
    if ((type === 'json' || type === 'jsonb') && typeof value !== 'string') return JSON.stringify(value);
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value;
}

async function resetSequences(tx: Kysely<any>, t: TableInfo): Promise<void> {
  for (const col of t.sequenced) {
    await sql`select setval(pg_get_serial_sequence(${t.name}, ${col}), coalesce((select max(${sql.id(col)}) from ${sql.table(t.name)}), 0) + 1, false)`.execute(tx);
  }
}

type Kind = 'boolean' | 'json' | 'other';

function kindOf(a: string, b: string | undefined): Kind {
  const types = [a, b ?? ''];
  if (types.some((t) => t === 'boolean')) return 'boolean';
  if (types.some((t) => t === 'json' || t === 'jsonb')) return 'json';
  return 'other';
}

async function tableChecksum(db: Db, t: TableInfo, kinds: Map<string, Kind>): Promise<{ rows: number; checksum: string }> {
  const names = t.columns.map((c) => c.name).sort();
  let sum = 0n;
  let rows = 0;
  for await (const batch of readRows(db, t, 2000)) {
    for (const row of batch) {
      const h = createHash('sha256');
      for (const n of names) h.update(`${n}=${normalize(row[n], kinds.get(n) ?? 'other')}\u0001`);
      sum = (sum + BigInt('0x' + h.digest('hex').slice(0, 32))) & ((1n << 128n) - 1n);
      rows++;
    }
  }
  return { rows, checksum: sum.toString(16).padStart(32, '0') };
}

function normalize(v: unknown, kind: Kind): string {
  if (v === null || v === undefined) return '\u2205';
  if (kind === 'boolean') return v === true || v === 1 || v === '1' ? '1' : '0';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Uint8Array) return 'x' + Buffer.from(v).toString('hex');
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  if (typeof v === 'bigint') return String(v);
  if (kind === 'json' && typeof v === 'string') {
    try {
      return stableJson(JSON.parse(v));
    } catch {
      return v;
    }
  }
  if (typeof v === 'object') return stableJson(v);
  return String(v);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
