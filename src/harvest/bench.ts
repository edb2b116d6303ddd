// Measures harvest throughput end to end (HTTP, XML parsing, upsert, checkpoint) against a loopback
// OAI-PMH server that serves real arXiv metadata from a JSONL file as 1,000-record pages, arXiv's
// page size. Used by `paperboy bench harvest`; never talks to arXiv.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { escapeHtml } from '../lib/html.ts';
import { harvestArxiv } from './harvest.ts';

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

/** Harvests `limit` papers from `file` twice (into an empty store, then again: all unchanged). */
export async function benchHarvest(db: Db, config: Config, log: Logger, file: string, limit: number): Promise<BenchResult[]> {
  const papers = await readPapers(file, limit);
  const server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('resumptionToken');
    const page = token ? Number(token.split('|')[1]) : 0;
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(pageXml(papers, page, papers.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oai`;
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
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return results;
}
