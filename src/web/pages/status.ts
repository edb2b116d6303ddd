// "/status" — harvesting at a glance for curators: schedule, a harvest in progress, sets, recent
// runs; the semantic index this process answers from; and its memory, each cache against its bound.
import type { FastifyInstance } from 'fastify';
import { html } from '../../lib/html.ts';
import { harvestStatus, type HarvestRun } from '../../harvest/index.ts';
import { countPapers, latestAnnouncedOn } from '../../papers/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { memorySection } from './status-memory.ts';
import { layout } from '../layout.ts';
import { viewerOrNull } from '../session.ts';

export function registerStatusRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/status', async (req, reply) => {
    const [s, papers, newest] = await Promise.all([harvestStatus(deps.db, { config: deps.config, now: deps.now() }), countPapers(deps.db), latestAnnouncedOn(deps.db)]);
    const body = html`<section class="status-page">
  <h1>Harvest status</h1>
  <p class="status-papers">${papers === 0
    ? 'No papers yet: run paperboy harvest, or paperboy import FILE.'
    : html`<strong>${papers.toLocaleString('en-US')}</strong> papers in the store${newest ? html`, the newest announced on <time datetime="${newest}">${humanDay(newest)}</time>` : ''}.`}</p>
  <p>${s.running
    ? html`A harvest is running (since ${when(s.running.since)}, ${s.running.owner}).`
    : 'No harvest is running.'}
  ${s.schedule === undefined || s.schedule.cron === 'off'
    ? ' Scheduled harvesting is off (HARVEST_CRON=off).'
    : html` Schedule <code>${s.schedule.cron}</code> (${s.schedule.timezone}); next ${s.schedule.nextRuns[0] ? when(s.schedule.nextRuns[0]) : 'never'}.`}</p>
  <h2>Sets</h2>
  ${s.sets.length === 0 ? html`<p>Nothing harvested from arXiv yet${papers > 0 ? ': the papers here came from the sample or an import' : ''}. Run <code>paperboy harvest</code> to fetch new ones.</p>` : html`<table>
    <thead><tr><th scope="col">Set</th><th scope="col">Next run starts from</th><th scope="col">Unfinished list</th><th scope="col">Updated</th></tr></thead>
    <tbody>${s.sets.map((c) => html`<tr><td>${c.set}</td><td>${c.harvestedThrough ?? '—'}</td><td>${c.unfinished ? `from ${c.unfinished.from ?? '?'}${c.unfinished.until ? ` until ${c.unfinished.until}` : ''}, ${c.unfinished.pagesDone} pages done` : '—'}</td><td>${when(c.updatedAt)}</td></tr>`)}</tbody>
  </table>`}
  <h2>Recent runs</h2>
  ${s.runs.length === 0 ? html`<p>No runs yet.</p>` : html`<table class="runs">
    <thead><tr><th scope="col">Started</th><th scope="col">Trigger</th><th scope="col">Sets</th><th scope="col">Status</th><th scope="col">Pages</th><th scope="col">Fetched</th><th scope="col">New</th><th scope="col">Updated</th><th scope="col">Withdrawn</th><th scope="col">Skipped</th><th scope="col">Duration</th></tr></thead>
    <tbody>${s.runs.map(runRow)}</tbody>
  </table>`}
  <h2>Semantic search</h2>
  ${semanticLine(deps)}
  ${await memorySection(deps)}
</section>`;
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(layout({ title: 'Harvest status', viewer: await viewerOrNull(deps, req) }, body).value);
  });
}

function runRow(r: HarvestRun) {
  const secs = r.finishedAt ? Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000) : undefined;
  const detail = r.error || r.problems.length > 0
    ? html`<tr class="run-detail"><td colspan="11">${r.error ? html`<p class="error">${describeHarvestError(r.error)}</p><details><summary>Details</summary><pre>${r.error}</pre></details>` : ''}${r.problems.length > 0 ? html`<details><summary>${r.problems.length} skipped record(s)</summary><ul>${r.problems.map((p) => html`<li>${p}</li>`)}</ul></details>` : ''}</td></tr>`
    : '';
  return html`<tr data-run="${r.id}"><td>${when(r.startedAt)}</td><td>${r.trigger}</td><td>${r.sets.join(', ')}</td><td class="run-${r.status}">${r.status}</td><td>${r.pages}</td><td>${r.fetched}</td><td>${r.new}</td><td>${r.updated}</td><td>${r.withdrawn}</td><td>${r.skipped}</td><td>${secs === undefined ? '—' : `${secs}s`}</td></tr>${detail}`;
}

function semanticLine(deps: AppDeps) {
  const st = deps.semantic?.status();
  if (!st) return html`<p class="semantic-status">Off: search is keyword-only (EMBEDDINGS).</p>`;
  if (st.error) return html`<p class="semantic-status">Unavailable (${st.provider}, ${st.model ?? 'no model'}): ${st.error}</p>`;
  return html`<p class="semantic-status">${st.provider}, model <code>${st.model ?? '—'}</code>: <span data-indexed="${st.indexed}">${st.indexed.toLocaleString('en-US')}</span> papers in this process's index${st.ready ? '' : ' (not ready: keyword-only for now)'}.</p>`;
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

function humanDay(day: string): string {
  return DAY_FORMAT.format(new Date(`${day}T00:00:00Z`));
}

/** An ISO instant as "4 Dec 2026, 21:27 UTC", machine-readable in its datetime attribute. */
function when(iso: string) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : html`<time datetime="${iso}">${TIME_FORMAT.format(d)} UTC</time>`;
}

/** A sentence an operator can act on for the errors a harvest commonly ends with; the raw text stays in Details. */
function describeHarvestError(error: string): string {
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|fetch failed|network/i.test(error)) return 'arXiv could not be reached (network or DNS). The next run resumes where this one stopped.';
  if (/timed? ?out|ETIMEDOUT|AbortError/i.test(error)) return 'arXiv did not answer in time. The next run resumes where this one stopped.';
  if (/\b(503|429)\b/.test(error)) return 'arXiv asked us to slow down (busy or rate-limited). The next run resumes where this one stopped.';
  if (/\b5\d\d\b/.test(error)) return 'arXiv answered with a server error. The next run resumes where this one stopped.';
  if (/lease|already running/i.test(error)) return 'Another harvest was already running; this one stepped aside.';
  if (/abort|stopp?ed|SIGTERM/i.test(error)) return 'The harvest was stopped (the process shut down). The next run resumes where this one stopped.';
  return 'The harvest failed. The details below say why; the next run resumes where this one stopped.';
}
