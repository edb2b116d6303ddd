import { readFileSync } from 'node:fs';
const W = '/work/wt-recs2';
const { openStore } = await import(`${W}/src/store/index.ts`);
const { migrateToLatest } = await import(`${W}/src/store/migrate.ts`);
const { loadWindow } = await import(`${W}/src/recommend/window.ts`);
const { rankWindow, DEFAULT_WEIGHTS } = await import(`${W}/src/recommend/rank.ts`);
const { vectorize } = await import(`${W}/src/recommend/text-vectors.ts`);
const { loadProfileTexts } = await import(`${W}/src/recommend/profile-terms.ts`);
const { findPaperIdsByArxivIds, latestAnnouncedOn } = await import(`${W}/src/papers/index.ts`);
const store = await openStore({ databaseUrl: 'sqlite:/tmp/recs2/corpus.db', dialect: 'sqlite', sqlitePath: '/tmp/recs2/corpus.db' } as never);
const db = (store as any).db; await migrateToLatest(db);
const users = readFileSync('/work/shared/data/recsys-authors/users.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const latest = (await latestAnnouncedOn(db))!;
const w = await loadWindow(db, '2026-05-01', latest, { fresh: true });
const found = await findPaperIdsByArxivIds(db, users.flatMap((u: any) => u.library));
const readers: any[] = [];
let tv = 0;
for (const u of users) {
  const ids = u.library.map((a: string) => found.get(a)).filter((x: any) => x !== undefined);
  const texts = await loadProfileTexts(db, ids);
  const c = process.cpuUsage();
  const papers = ids.map((id: number, k: number) => ({ paperId: id, arxivId: '', vector: vectorize(w.index, texts.get(id)!.terms, w.stats), weight: 1, tags: [], title: '', categories: [] }));
  const d = process.cpuUsage(c); tv += (d.user + d.system) / 1000;
  readers.push({ papers, followedAuthors: new Map(), followedCategories: new Set(), searchMatches: new Map(), exclude: new Set(ids) });
}
console.log('vectorize total ms', tv.toFixed(0), 'per user', (tv / users.length).toFixed(2));
const ref = readers.map((r) => rankWindow(w.index, w.papers, w.categoryShare, w.generality, r, 200, DEFAULT_WEIGHTS, { minImpact: 0, commonShare: 1, shortlist: 1000 }).map((x: any) => x.paperId));
for (let round = 0; round < 1; round++) for (const st of [{ minImpact: 0, commonShare: 1, shortlist: 250 }, { minImpact: 0, commonShare: 0.02, shortlist: 500 }, { minImpact: 0, commonShare: 0.02, shortlist: 1000 }, { minImpact: 0, commonShare: 0.05, shortlist: 500 }, { minImpact: 0, commonShare: 0.05, shortlist: 1000 }, { minImpact: 0, commonShare: 0.1, shortlist: 500 }]) {
  const times: number[] = []; let same50 = 0, same200 = 0;
  readers.forEach((r, k) => {
    const c = process.cpuUsage();
    const out = rankWindow(w.index, w.papers, w.categoryShare, w.generality, r, 200, DEFAULT_WEIGHTS, st).map((x: any) => x.paperId);
    const d = process.cpuUsage(c); times.push((d.user + d.system) / 1000);
    const a = new Set(ref[k]!.slice(0, 50)); same50 += out.slice(0, 50).filter((x: number) => a.has(x)).length / Math.max(1, a.size);
    const b = new Set(ref[k]); same200 += out.filter((x: number) => b.has(x)).length / Math.max(1, b.size);
  });
  times.sort((a, b) => a - b);
  console.log(JSON.stringify(st), 'p50', times[150]!.toFixed(1), 'p95', times[285]!.toFixed(1), 'top50 agreement', (same50 / readers.length).toFixed(4), 'top200', (same200 / readers.length).toFixed(4));
}
await (store as any).close();
