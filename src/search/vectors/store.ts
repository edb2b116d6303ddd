// SQL for stored vectors: the per-(model, text hash) cache and each paper's current vector. Every
// write bumps the "embeddings" change version, so other processes' in-memory indexes catch up.
import type { Db } from '../../store/db.ts';
import { bumpVersion } from '../../store/change-version.ts';

export const EMBEDDINGS_CHANNEL = 'embeddings';

function encodeVector(v: Float32Array): Uint8Array {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function decodeVector(bytes: Uint8Array): Float32Array {
  // Copy: a driver's Buffer may sit at an offset that is not 4-byte aligned.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export interface PaperToEmbed {
  id: number;
  title: string;
  abstract: string;
  contentHash: string;
}

function staleOrMissing(db: Db, model: string) {
  return db
    .selectFrom('paper as p')
    .leftJoin('paper_embedding as e', (j) => j.onRef('e.paper_id', '=', 'p.id').on('e.model', '=', model))
    .where((eb) => eb.or([eb('e.paper_id', 'is', null), eb('e.source_hash', '<>', eb.ref('p.content_hash'))]));
}

/** Papers with no vector under this model, or changed since embedded; lowest id first. */
export async function findPapersToEmbed(db: Db, model: string, limit: number): Promise<PaperToEmbed[]> {
  const rows = await staleOrMissing(db, model).select(['p.id', 'p.title', 'p.abstract', 'p.content_hash']).orderBy('p.id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, contentHash: r.content_hash }));
}

export async function countPapersToEmbed(db: Db, model: string): Promise<number> {
  const row = await staleOrMissing(db, model).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findCachedVectors(db: Db, model: string, hashes: string[]): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db.selectFrom('embedding_cache').select(['text_hash', 'vector']).where('model', '=', model).where('text_hash', 'in', hashes.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.text_hash, decodeVector(r.vector));
  }
  return out;
}

export interface EmbeddedPaper {
  paperId: number;
  textHash: string;
  sourceHash: string;
  vector: Float32Array;
}

/** Caches new vectors and points each paper at its vector, in one transaction; returns the change version written. */
export async function saveEmbeddings(db: Db, model: string, items: EmbeddedPaper[], now: string): Promise<number | undefined> {
  if (items.length === 0) return undefined;
  return db.transaction().execute(async (tx) => {
    // First, so concurrent writers queue on the counter's row and commit in version order.
    const version = await bumpVersion(tx, EMBEDDINGS_CHANNEL);
    const cache = [...new Map(items.map((i) => [i.textHash, i])).values()].map((i) => ({
      model, text_hash: i.textHash, dimension: i.vector.length, vector: encodeVector(i.vector), created_at: now,
    }));
    for (let i = 0; i < cache.length; i += 200) {
      await tx.insertInto('embedding_cache').values(cache.slice(i, i + 200)).onConflict((oc) => oc.columns(['model', 'text_hash']).doNothing()).execute();
    }
    const rows = items.map((i) => ({ paper_id: i.paperId, model, text_hash: i.textHash, source_hash: i.sourceHash, embedded_at: now, version }));
    for (let i = 0; i < rows.length; i += 200) {
      await tx
        .insertInto('paper_embedding')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) =>
          oc.columns(['paper_id', 'model']).doUpdateSet((eb) => ({
            text_hash: eb.ref('excluded.text_hash'),
            source_hash: eb.ref('excluded.source_hash'),
            embedded_at: eb.ref('excluded.embedded_at'),
            version: eb.ref('excluded.version'),
          })),
        )
        .execute();
    }
    return version;
  });
}

/** Vectors written after change `afterVersion`, in version order, a page at a time (for catching up). */
export async function readVectorsSince(db: Db, model: string, afterVersion: number, afterId: number, limit: number): Promise<Array<{ paperId: number; version: number; vector: Float32Array }>> {
  const rows = await db
    .selectFrom('paper_embedding as e')
    .innerJoin('embedding_cache as c', (j) => j.onRef('c.text_hash', '=', 'e.text_hash').onRef('c.model', '=', 'e.model'))
    .select(['e.paper_id', 'e.version', 'c.vector'])
    .where('e.model', '=', model)
    .where((eb) => eb.or([eb('e.version', '>', afterVersion), eb.and([eb('e.version', '=', afterVersion), eb('e.paper_id', '>', afterId)])]))
    .orderBy('e.version')
    .orderBy('e.paper_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paperId: r.paper_id, version: r.version, vector: decodeVector(r.vector) }));
}

export async function countPaperVectors(db: Db, model: string): Promise<number> {
  const row = await db.selectFrom('paper_embedding').select((eb) => eb.fn.countAll<number>().as('n')).where('model', '=', model).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every paper's vector under a model, in id order, a page at a time (for rebuilding the index). */
export async function readPaperVectors(db: Db, model: string, afterId: number, limit: number): Promise<Array<{ paperId: number; vector: Float32Array }>> {
  const rows = await db
    .selectFrom('paper_embedding as e')
    .innerJoin('embedding_cache as c', (j) => j.onRef('c.text_hash', '=', 'e.text_hash').onRef('c.model', '=', 'e.model'))
    .select(['e.paper_id', 'c.vector'])
    .where('e.model', '=', model)
    .where('e.paper_id', '>', afterId)
    .orderBy('e.paper_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paperId: r.paper_id, vector: decodeVector(r.vector) }));
}

export async function findPaperVector(db: Db, model: string, paperId: number): Promise<Float32Array | undefined> {
  const rows = await readPaperVectors(db, model, paperId - 1, 1);
  return rows[0]?.paperId === paperId ? rows[0].vector : undefined;
}

/** Summary of a model's stored vectors; the persisted index is current only if it recorded the same. */
export async function vectorFingerprint(db: Db, model: string): Promise<string> {
  const row = await db
    .selectFrom('paper_embedding')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('paper_id').as('ids'), eb.fn.max('embedded_at').as('last')])
    .where('model', '=', model)
    .executeTakeFirstOrThrow();
  return `${Number(row.n)}:${Number(row.ids ?? 0)}:${row.last ?? ''}`;
}

/** Forgets which vector each paper has under a model (the cache stays, so unchanged texts are free). */
export async function deletePaperEmbeddings(db: Db, model: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const res = await tx.deleteFrom('paper_embedding').where('model', '=', model).executeTakeFirst();
    await bumpVersion(tx, EMBEDDINGS_CHANNEL);
    return Number(res.numDeletedRows);
  });
}

/** Drops cached vectors of every other model; returns how many rows went. */
export async function pruneOtherModels(db: Db, model: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('paper_embedding').where('model', '<>', model).execute();
    const res = await tx.deleteFrom('embedding_cache').where('model', '<>', model).executeTakeFirst();
    await bumpVersion(tx, EMBEDDINGS_CHANNEL);
    return Number(res.numDeletedRows);
  });
}

