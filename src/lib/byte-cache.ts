// A Map bounded by an estimate of the memory its entries hold, not by their number: a cache filled
// with a client's long strings stays within the same budget as one filled with short ones. The
// oldest entries leave first; `get` keeps an entry's place (no reordering on the hot path), so this
// is first-in-first-out, which is enough for caches whose hits cluster in time.

/** Rough bytes of a string in V8 (two-byte when it has to be) plus the Map entry around it. */
export function stringBytes(s: string): number {
  return 2 * s.length;
}

/** Per-entry overhead of a Map slot, its key and value headers. */
export const ENTRY_OVERHEAD_BYTES = 64;

export class ByteCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private total = 0;
  /** Lookups that found an entry, and that did not (for /status). */
  hits = 0;
  misses = 0;
  /**
   * Walks the entries oldest first across evictions. A fresh `keys()` per eviction would step over
   * every entry deleted since the Map last compacted its table (a full cache deletes one per insert),
   * making each eviction cost more as the cache churns; a Map iterator stays valid as entries come
   * and go, sees new ones at the end, and skips deleted ones once.
   */
  private evictor: Iterator<K> | undefined;

  /**
   * @param budget the bytes all entries together may hold
   * @param sizeOf bytes one entry holds, key included (ENTRY_OVERHEAD_BYTES is added)
   */
  constructor(
    private budget: number,
    private readonly sizeOf: (key: K, value: V) => number,
  ) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (e) this.hits++;
    else this.misses++;
    return e?.value;
  }

  /** The entry's value without counting a hit or a miss: for a caller checking what it stored itself. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Stores an entry, evicting the oldest until it fits; one larger than an eighth of the budget is not kept. */
  set(key: K, value: V): void {
    const bytes = this.sizeOf(key, value) + ENTRY_OVERHEAD_BYTES;
    this.delete(key);
    if (bytes > this.budget / 8) return;
    while (this.total + bytes > this.budget && this.entries.size > 0) this.evictOldest();
    this.entries.set(key, { value, bytes });
    this.total += bytes;
  }

  get maxBytes(): number {
    return this.budget;
  }

  /** A new budget; the oldest entries leave until the cache fits it. */
  resize(maxBytes: number): void {
    this.budget = maxBytes;
    while (this.total > this.budget && this.entries.size > 0) this.evictOldest();
  }

  /** Moves an entry to the young end (for callers that want least-recently-used order). */
  touch(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private evictOldest(): void {
    let next = (this.evictor ??= this.entries.keys()).next();
    if (next.done) next = (this.evictor = this.entries.keys()).next();
    if (!next.done) this.delete(next.value);
  }

  delete(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.evictor = undefined;
    this.total = 0;
  }

  /** The keys, the next to leave first. */
  keysOldestFirst(): IterableIterator<K> {
    return this.entries.keys();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The estimated bytes held now. */
  get bytes(): number {
    return this.total;
  }
}
