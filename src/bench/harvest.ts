// Measures harvest throughput end to end (HTTP, XML parsing, upsert, checkpoint) against a loopback
// OAI-PMH server that serves real arXiv metadata from a JSONL file as 1,000-record pages, arXiv's
// page size. Used by `paperboy bench harvest`; never talks to arXiv.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { openStore, type Db } from '../store/db.ts';
import { escapeHtml } from '../lib/html.ts';
import { harvestArxiv } from '../harvest/harvest.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { Mode } from '../commands/command.ts';

interface SourcePaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  listed?: string;
}

export interface BenchResult {
  label: string;
  records: number;
  pages: number;
  seconds: number;
  perSecond: number;
  new: number;
  unchanged: number;
  peakRssMb: number;
}

const PAGE_SIZE = 1000;

async function readPapers(file: string, limit: number): Promise<SourcePaper[]> {
  const input = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  const out: SourcePaper[] = [];
  for await (const line of lines) {
    if (!line.trim()) continue;
    out.push(JSON.parse(line) as SourcePaper);
    if (out.length >= limit) break;
  }
  lines.close();
  return out;
}

function recordXml(p: SourcePaper): string {
  const day = p.listed ?? '2025-03-04';
  const authors = p.authors.map((a) => {
    const i = a.lastIndexOf(' ');
    return i < 0 ? `<author><keyname>${escapeHtml(a)}</keyname></author>` : `<author><keyname>${escapeHtml(a.slice(i + 1))}</keyname><forenames>${escapeHtml(a.slice(0, i))}</forenames></author>`;
  }).join('');
  return `<record><header><identifier>oai:arXiv.org:${p.id}</identifier><datestamp>${day}</datestamp><setSpec>cs</setSpec></header><metadata>
<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>${p.id}</id><created>${day}</created><authors>${authors}</authors><title>${escapeHtml(p.title)}</title><categories>${p.categories.join(' ')}</categories><license>http://creativecommons.org/licenses/by/4.0/</license><abstract>${escapeHtml(p.abstract)}</abstract></arXiv></metadata></record>`;
}

function pageXml(papers: SourcePaper[], page: number, total: number): string {
  const slice = papers.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const last = (page + 1) * PAGE_SIZE >= total;
  const token = last ? `<resumptionToken cursor="${page * PAGE_SIZE}" completeListSize="${total}"/>` : `<resumptionToken cursor="${page * PAGE_SIZE}" completeListSize="${total}">bench|${page + 1}</resumptionToken>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>${new Date().toISOString().slice(0, 19)}Z</responseDate><request verb="ListRecords">bench</request>
<ListRecords>${slice.map(recordXml).join('\n')}${token}</ListRecords></OAI-PMH>`;
}

/** A loopback OAI-PMH endpoint serving the first `limit` papers of a file, page by page. */
export async function startOaiReplay(file: string, limit: number): Promise<{ url: string; close: () => Promise<void> }> {
  const papers = await readPapers(file, limit);
  const server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('resumptionToken');
    const page = token ? Number(token.split('|')[1]) : 0;
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(pageXml(papers, page, papers.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oai`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Harvests `limit` papers from `file` twice (into an empty store, then again: all unchanged). */
async function benchHarvest(db: Db, config: Config, log: Logger, file: string, limit: number): Promise<BenchResult[]> {
  const server = await startOaiReplay(file, limit);
  const url = server.url;
  const benchConfig: Config = { ...config, arxivOaiUrl: url, arxivMinIntervalMs: 0 };
  const results: BenchResult[] = [];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    for (const label of ['empty store', 'same records again']) {
      peak = process.memoryUsage().rss;
      const started = performance.now();
      const out = await harvestArxiv(db, benchConfig, { from: '2000-01-01', sets: ['cs'], trigger: 'cli', log });
      const seconds = (performance.now() - started) / 1000;
      if (out.status !== 'succeeded') throw new Error(`bench harvest ${out.status}${'run' in out ? `: ${out.run.error}` : ''}`);
      results.push({
        label, records: out.run.fetched, pages: out.run.pages, seconds, perSecond: out.run.fetched / seconds,
        new: out.run.new, unchanged: out.run.unchanged, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
      });
    }
  } finally {
    clearInterval(sampler);
    await server.close();
  }
  return results;
}

export const mode: Mode = {
  help: `
Usage: paperboy bench harvest FILE [--limit N] [--use-configured-db]

Serves the papers in FILE (arXiv listing JSONL, plain or .gz) as OAI-PMH ListRecords pages of
1,000 records on 127.0.0.1 and harvests them twice with ARXIV_MIN_INTERVAL_MS=0: into an empty
store, then again (every record unchanged). Prints records/s and peak RSS for each pass.
  --limit N              papers to use (default 20000)
  --use-configured-db    harvest into DATABASE_URL instead of a fresh temporary SQLite file
`,
  options: { limit: { type: 'string' }, 'use-configured-db': { type: 'boolean' } },
  async run(ctx, { values, positionals }) {
    const file = positionals[0];
    const limit = Number(values.limit ?? 20_000);
    if (!file || !Number.isInteger(limit) || limit < 1) {
      process.stderr.write('paperboy bench harvest: give a JSONL FILE and a positive --limit. Run "paperboy bench harvest --help".\n');
      return 2;
    }
    const dir = values['use-configured-db'] ? undefined : mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
    const config = dir ? { ...ctx.config, dialect: 'sqlite' as const, databaseUrl: `sqlite:${join(dir, 'bench.db')}`, sqlitePath: join(dir, 'bench.db') } : ctx.config;
    const store = await openStore(config);
    try {
      await migrateToLatest(store.db);
      for (const r of await benchHarvest(store.db, config, ctx.log, file, limit)) {
        process.stdout.write(
          `bench harvest ${config.dialect} ${r.label}: ${r.records} records in ${r.pages} pages, ${r.seconds.toFixed(2)} s, ` +
            `${Math.round(r.perSecond).toLocaleString('en-US')} records/s, new ${r.new}, unchanged ${r.unchanged}, peak RSS ${Math.round(r.peakRssMb)} MB\n`,
        );
      }
      return 0;
    } finally {
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  },
};
