// Measures keyword (FTS5 BM25), corpus-learned LSA, and fusions of both on a BEIR folder, before
// `paperboy bench search` exists. Evaluation only: the dataset is read, never copied.
// Run: npx tsx scripts/measure-fusion.ts ../shared/data/beir/scifact [k]
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { embedLsa, trainLsa } from '../src/search/embeddings/lsa.ts';
import { fuseRankings, type Ranked } from '../src/search/fuse.ts';
import { BUILTIN_FUSION_WEIGHT } from '../src/search/embeddings/index.ts';

const dir = process.argv[2] ?? '../shared/data/beir/scifact';
const k = Number(process.argv[3] ?? 256);
const readJsonl = (file: string) => {
  const raw = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
  return raw.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
};
const corpus = readJsonl(join(dir, 'corpus.jsonl.gz'));
const queries = readJsonl(join(dir, 'queries.jsonl'));
const qrels = new Map<string, Map<string, number>>();
for (const line of readFileSync(join(dir, 'qrels-test.tsv'), 'utf8').split('\n').slice(1).filter(Boolean)) {
  const [q, d, s] = line.split('\t');
  if (!qrels.has(q!)) qrels.set(q!, new Map());
  qrels.get(q!)!.set(d!, Number(s));
}
const testQueries = queries.filter((q) => qrels.has(q._id!));

const db = new Database(':memory:');
db.exec("CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='porter unicode61')");
const ins = db.prepare('INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)');
db.transaction(() => corpus.forEach((d, i) => ins.run(i + 1, d.title ?? '', d.text ?? '')))();
const search = db.prepare('SELECT rowid, -bm25(docs, 1.0, 1.0) AS score FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 1.0, 1.0) LIMIT 1000');
function keyword(q: string): Ranked[] {
  const terms = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
  if (terms.length === 0) return [];
  return (search.all(terms.map((t) => `"${t}"`).join(' OR ')) as Array<{ rowid: number; score: number }>).map((r) => ({ paperId: r.rowid, score: r.score }));
}

let t = Date.now();
const model = trainLsa(corpus.map((d) => `${d.title}. ${d.text}`), { k });
console.log(`LSA k=${k}: ${model.vocabulary.size} terms, trained in ${Date.now() - t} ms`);
t = Date.now();
const docVecs = corpus.map((d) => embedLsa(model, `${d.title}. ${d.text}`));
console.log(`embedded ${corpus.length} docs in ${Date.now() - t} ms`);
function semantic(q: string, n = 1000): Ranked[] {
  const v = embedLsa(model, q);
  const scored = docVecs.map((d, i) => {
    let s = 0;
    for (let c = 0; c < d.length; c++) s += d[c]! * v[c]!;
    return { paperId: i + 1, score: s };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, n);
}

function ndcg10(ranked: Ranked[], rel: Map<string, number>): number {
  let dcg = 0;
  ranked.slice(0, 10).forEach((r, i) => {
    const g = rel.get(corpus[r.paperId - 1]!._id!) ?? 0;
    dcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  const ideal = [...rel.values()].sort((a, b) => b - a).slice(0, 10);
  const idcg = ideal.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

const runs = testQueries.map((q) => ({ rel: qrels.get(q._id!)!, kw: keyword(q.text!), sem: semantic(q.text!) }));
const report = (name: string, fn: (r: (typeof runs)[number]) => Ranked[]) => {
  const score = runs.reduce((s, r) => s + ndcg10(fn(r), r.rel), 0) / runs.length;
  console.log(`${name.padEnd(36)} nDCG@10 ${score.toFixed(4)}`);
};
report('keyword (bm25)', (r) => r.kw);
report(`lsa k=${k}`, (r) => r.sem);
report('rrf k=60', (r) => rrf(r.kw, r.sem));
for (const w of [0.1, 0.2, 0.3]) report(`convex min-max w=${w}`, (r) => convex(r.kw, r.sem, w));
report(`fuseRankings, builtin weight ${BUILTIN_FUSION_WEIGHT}`, (r) => fuseRankings(r.kw, r.sem, BUILTIN_FUSION_WEIGHT));

function rrf(a: Ranked[], b: Ranked[], c = 60): Ranked[] {
  const m = new Map<number, number>();
  for (const list of [a, b]) list.slice(0, 100).forEach((x, i) => m.set(x.paperId, (m.get(x.paperId) ?? 0) + 1 / (c + i + 1)));
  return [...m].map(([paperId, score]) => ({ paperId, score })).sort((x, y) => y.score - x.score);
}
function convex(a: Ranked[], b: Ranked[], w: number): Ranked[] {
  const norm = (l: Ranked[]) => {
    const top = l.slice(0, 100);
    const max = Math.max(...top.map((x) => x.score));
    const min = Math.min(...top.map((x) => x.score));
    return new Map(top.map((x) => [x.paperId, max > min ? (x.score - min) / (max - min) : 1]));
  };
  const na = norm(a);
  const nb = norm(b);
  const ids = new Set([...na.keys(), ...nb.keys()]);
  return [...ids].map((id) => ({ paperId: id, score: (1 - w) * (na.get(id) ?? 0) + w * (nb.get(id) ?? 0) })).sort((x, y) => y.score - x.score);
}
