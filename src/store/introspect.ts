// What tables a database holds, read from its catalog: columns, primary key, foreign keys. The
// one place that knows SQLite's pragmas and PostgreSQL's information_schema; used to copy and
// compare whole databases without a list of tables (modules add tables over time).
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { dialectOf } from './dialect.ts';

export interface ColumnInfo {
  name: string;
  /** Declared type, lowercased: integer, text, boolean, jsonb, bytea, double precision, … */
  type: string;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Tables this one references (foreign keys), itself excluded. */
  references: string[];
  /** Columns whose values come from a sequence (PostgreSQL serial/identity). */
  sequenced: string[];
}

/**
 * Bookkeeping tables that belong to the migrator and the database itself, never copied; and the
 * keyword index, which each dialect derives from `paper` by triggers (SQLite: FTS5 `paper_fts` and
 * its shadow tables; PostgreSQL: `paper_search` and `paper_search_title`), so it fills itself as papers are copied in; the
 * same goes for `paper_author`, the author-name index kept from `paper.authors` by triggers.
 * `change_version` holds one instance's cache-invalidation counters: migrations seed it and triggers
 * bump it as rows are copied in, and copying the source's counters could move the target's
 * backwards, so a running process would keep serving stale caches.
 */
export function isInternalTable(name: string): boolean {
  return name.startsWith('sqlite_') || name.startsWith('kysely_migration') || name === 'paper_fts' || name.startsWith('paper_fts_') || name === 'paper_search' || name === 'paper_search_title' || name === 'paper_author' || name === 'change_version';
}

export async function listTables(db: Db): Promise<TableInfo[]> {
  return dialectOf(db) === 'postgres' ? listPostgresTables(db) : listSqliteTables(db);
}

async function listSqliteTables(db: Db): Promise<TableInfo[]> {
  const all = (await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table' order by name`.execute(db)).rows;
  // Full-text indexes (FTS5 virtual tables and their shadow tables) are derived data: the target's
  // own migrations and triggers rebuild them from the copied rows, so they are never copied.
  const virtual = all.filter((r) => /^create\s+virtual\s+table/i.test(r.sql ?? '')).map((r) => r.name);
  const names = all
    .map((r) => r.name)
    .filter((n) => !isInternalTable(n) && !virtual.some((v) => n === v || n.startsWith(`${v}_`)));
  const out: TableInfo[] = [];
  for (const name of names) {
    const cols = (await sql<{ name: string; type: string; pk: number }>`select name, type, pk from pragma_table_info(${name})`.execute(db)).rows;
    const fks = (await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db)).rows;
    out.push({
      name,
      columns: cols.map((c) => ({ name: c.name, type: c.type.toLowerCase() })),
      primaryKey: cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      references: [...new Set(fks.map((f) => f.table).filter((t) => t !== name))],
      sequenced: [],
    });
  }
  return out;
}

async function listPostgresTables(db: Db): Promise<TableInfo[]> {
  const cols = (await sql<{ table_name: string; column_name: string; data_type: string; column_default: string | null; is_identity: string }>`
    select c.table_name, c.column_name, c.data_type, c.column_default, c.is_identity
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db)).rows;
  const pks = (await sql<{ table_name: string; column_name: string }>`
    select tc.table_name, kcu.column_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    where tc.table_schema = current_schema() and tc.constraint_type = 'PRIMARY KEY'
    order by tc.table_name, kcu.ordinal_position`.execute(db)).rows;
  const fks = (await sql<{ table_name: string; referenced: string }>`
    select cl.relname as table_name, ref.relname as referenced
    from pg_constraint con
    join pg_class cl on cl.oid = con.conrelid
    join pg_class ref on ref.oid = con.confrelid
    join pg_namespace ns on ns.oid = cl.relnamespace
    where con.contype = 'f' and ns.nspname = current_schema()`.execute(db)).rows;
  const byTable = new Map<string, TableInfo>();
  for (const c of cols) {
    if (isInternalTable(c.table_name)) continue;
    const t = byTable.get(c.table_name) ?? { name: c.table_name, columns: [], primaryKey: [], references: [], sequenced: [] };
    t.columns.push({ name: c.column_name, type: c.data_type.toLowerCase() });
    if (c.is_identity === 'YES' || c.column_default?.startsWith('nextval(')) t.sequenced.push(c.column_name);
    byTable.set(c.table_name, t);
  }
  for (const pk of pks) byTable.get(pk.table_name)?.primaryKey.push(pk.column_name);
  for (const fk of fks) {
    const t = byTable.get(fk.table_name);
    if (t && fk.referenced !== t.name && !t.references.includes(fk.referenced)) t.references.push(fk.referenced);
  }
  return [...byTable.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Tables ordered so each comes after every table it references; throws on a reference cycle. */
export function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo, path: string[]) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new Error(`foreign keys form a cycle: ${[...path, t.name].join(' → ')}`);
    visiting.add(t.name);
    for (const r of t.references) {
      const ref = byName.get(r);
      if (ref) visit(ref, [...path, t.name]);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, []);
  return out;
}
