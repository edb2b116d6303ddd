import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';
import { ensureUser } from '../src/accounts/index.ts';
import { findPaperByArxivId, upsertPapers } from '../src/papers/index.ts';
import { savePaper, unsavePaper } from '../src/library/index.ts';
import { addFollow, checkFollowValue } from '../src/follows/index.ts';
import { setPaperHidden, setVote } from '../src/community/index.ts';
import { DEFAULT_WEIGHTS, describeReason, recommendForUser, startWindowWarmer } from '../src/recommend/index.ts';
import { loadWindow } from '../src/recommend/window.ts';
import { loadProfileTexts } from '../src/recommend/profile-terms.ts';
import { comparisonTerms } from '../src/recommend/comparison-terms.ts';
import { createLogger } from '../src/log.ts';

describe.each(testDialects())('recommendations on %s', (dialect) => {
  let store: TestStore;
  const now = new Date('2026-07-01T10:00:00Z');
  const id = async (arxivId: string) => (await findPaperByArxivId(store.db, arxivId))!.id;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    const old = { announcedOn: '2026-03-02', categories: ['cs.LG'] };
    await createPaper(store, { ...old, arxivId: '2603.00001', title: 'Policy optimisation for reinforcement learning agents', abstract: 'We study policy gradient reinforcement learning with sparse rewards.' });
    await createPaper(store, { ...old, arxivId: '2603.00002', title: 'Reward shaping in reinforcement learning', abstract: 'Reward shaping speeds up policy learning in sparse reward environments.' });
    await createPaper(store, { ...old, arxivId: '2603.00003', title: 'Graph neural networks for molecules', abstract: 'Message passing networks predict molecular properties.', categories: ['q-bio.BM'] });
    const day = (d: number) => `2026-06-${String(24 + d).padStart(2, '0')}`;
    await createPaper(store, { arxivId: '2606.40001', announcedOn: day(6), title: 'Sparse reward reinforcement learning with policy priors', abstract: 'Policy gradient agents learn from sparse rewards with learned priors.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2606.40002', announcedOn: day(5), title: 'Molecular property prediction with message passing', abstract: 'Graph networks for molecules.', categories: ['q-bio.BM'] });
    await createPaper(store, { arxivId: '2606.40003', announcedOn: day(4), title: 'Weak lensing cluster masses', abstract: 'Galaxy clusters weigh what lensing says.', categories: ['astro-ph.CO'], authors: ['Vera Rubin'] });
    await createPaper(store, { arxivId: '2606.40004', announcedOn: day(3), title: 'Tokenizers for language models', abstract: 'We compare tokenizers.', categories: ['cs.CL'] });
    await createPaper(store, { arxivId: '2606.40005', announcedOn: '2026-06-01', title: 'Old reinforcement learning policy paper', abstract: 'Policy gradient sparse rewards.', categories: ['cs.LG'] });
  });
  afterAll(() => store.cleanup());

  it('starts cold, then ranks the last 7 days by the library with reasons, and follows the library as it changes', async () => {
    const u = (await ensureUser(store.db, 'reader@example.org', now)).id;
    const cold = await recommendForUser(store.db, u);
    expect(cold).toMatchObject({ coldStart: true, items: [], since: '2026-06-24', until: '2026-06-30' });
    await savePaper(store.db, u, await id('2603.00001'), { tags: ['rl'] }, now);
    await savePaper(store.db, u, await id('2603.00002'), { tags: ['rl'] }, now);
    const rl = await recommendForUser(store.db, u);
    expect(rl.coldStart).toBe(false);
    expect(rl.items[0]!.paper.arxivId).toBe('2606.40001');
    expect(describeReason(rl.items[0]!.reasons[0]!)).toBe('like 2 papers you saved in rl');
    expect(rl.items.map((r) => r.paper.arxivId)).not.toContain('2606.40005');
    // A tag's list never offers a paper saved outside the tag.
    await savePaper(store.db, u, await id('2606.40001'), {}, now);
    expect((await recommendForUser(store.db, u, { tag: 'rl' })).items.map((r) => r.paper.arxivId)).not.toContain('2606.40001');
    await unsavePaper(store.db, u, await id('2606.40001'));
    // A changed library is a different list at once (the cache is keyed by it).
    await unsavePaper(store.db, u, await id('2603.00001'));
    await unsavePaper(store.db, u, await id('2603.00002'));
    await savePaper(store.db, u, await id('2603.00003'), {}, now);
    const mol = await recommendForUser(store.db, u);
    expect(mol.items[0]!.paper.arxivId).toBe('2606.40002');
    expect(describeReason(mol.items[0]!.reasons[0]!)).toBe('like “Graph neural networks for molecules”, which you saved');
    // Saved papers are never recommended.
    await savePaper(store.db, u, await id('2606.40002'), {}, now);
    expect((await recommendForUser(store.db, u)).items.map((r) => r.paper.arxivId)).not.toContain('2606.40002');
  });

  it('ranks followed authors, categories and saved searches, and upvotes count as signals', async () => {
    const u = (await ensureUser(store.db, 'follower@example.org', now)).id;
    const author = checkFollowValue('author', 'vera rubin');
    const search = checkFollowValue('search', 'tokenizers cat:cs.CL');
    if (!author.ok || !search.ok) throw new Error('refused');
    await addFollow(store.db, u, 'author', author.value, author.key, now);
    await addFollow(store.db, u, 'search', search.value, search.key, now);
    const list = await recommendForUser(store.db, u);
    expect(list.coldStart).toBe(false);
    const reasons = new Map(list.items.map((r) => [r.paper.arxivId, r.reasons.map(describeReason)]));
    expect(reasons.get('2606.40003')).toEqual(['by Vera Rubin, whom you follow']);
    expect(reasons.get('2606.40004')).toEqual(['matches your search “tokenizers cat:cs.CL”']);
    expect(list.items).toHaveLength(2);
    await setVote(store.db, u, await id('2603.00003'), true, now);
    const withVote = await recommendForUser(store.db, u);
    expect(withVote.items.find((r) => r.paper.arxivId === '2606.40002')?.reasons.map(describeReason)).toEqual(['like “Graph neural networks for molecules”, which you upvoted']);
    expect((await recommendForUser(store.db, u, { contentOnly: true })).coldStart).toBe(true);
  });

  it('sees new papers of the window after the window is checked again', async () => {
    const u = (await ensureUser(store.db, 'late@example.org', now)).id;
    await savePaper(store.db, u, await id('2603.00003'), {}, now);
    const before = await recommendForUser(store.db, u, { since: '2026-06-20', until: '2026-06-30' });
    await createPaper(store, { arxivId: '2606.40009', announcedOn: '2026-06-29', title: 'Message passing for molecules', abstract: 'Graph neural networks predict molecules properties.', categories: ['q-bio.BM'] });
    await loadWindow(store.db, '2026-06-20', '2026-06-30', { now: Date.now() + 3_600_000, fresh: true });
    const after = await recommendForUser(store.db, u, { since: '2026-06-20', until: '2026-06-30' });
    expect(before.items.map((r) => r.paper.arxivId)).not.toContain('2606.40009');
    expect(after.items.slice(0, 2).map((r) => r.paper.arxivId)).toContain('2606.40009');
  });
  it('reads a saved paper’s analysed text from the cache until the paper changes', async () => {
    await createPaper(store, { arxivId: '2603.00077', announcedOn: '2026-03-02', title: 'Sparse attention', abstract: 'Attention with sparse patterns.', categories: ['cs.CL', 'cs.LG'] });
    const pid = await id('2603.00077');
    const first = (await loadProfileTexts(store.db, [pid, 999_999])).get(pid)!;
    expect(first).toMatchObject({ arxivId: '2603.00077', title: 'Sparse attention', categories: ['cs.CL', 'cs.LG'] });
    expect(first.terms).toEqual(comparisonTerms('Sparse attention\nAttention with sparse patterns.'));
    expect((await loadProfileTexts(store.db, [pid])).get(pid)).toBe(first);
    await createPaper(store, { arxivId: '2603.00077', announcedOn: '2026-03-02', title: 'Sparse attention', abstract: 'Linear attention instead.', categories: ['cs.CL'] });
    const edited = (await loadProfileTexts(store.db, [pid])).get(pid)!;
    expect(edited.terms).toEqual(comparisonTerms('Sparse attention\nLinear attention instead.'));
    expect(edited.categories).toEqual(['cs.CL']);
  });

  it('answers with the previous window while a changed one is rebuilt, leaving out papers hidden meanwhile', async () => {
    const u = (await ensureUser(store.db, 'stale@example.org', now)).id;
    await savePaper(store.db, u, await id('2603.00003'), {}, now);
    const range = { since: '2026-06-10', until: '2026-06-30' };
    const first = await recommendForUser(store.db, u, range);
    await createPaper(store, { arxivId: '2606.40010', announcedOn: '2026-06-28', title: 'Molecules by message passing networks', abstract: 'Graph networks for molecular properties.', categories: ['q-bio.BM'] });
    // The change is noticed at the next check; until the rebuild ends the old window answers.
    const checkedLater = { now: Date.now() + 3_600_000 };
    const old = await loadWindow(store.db, range.since, range.until, checkedLater);
    expect(old.papers.map((p) => p.paperId)).not.toContain(await id('2606.40010'));
    const rebuilt = await loadWindow(store.db, range.since, range.until, { ...checkedLater, fresh: true });
    expect(rebuilt).not.toBe(old);
    expect(rebuilt.papers.map((p) => p.paperId)).toContain(await id('2606.40010'));
    // A paper hidden after the window was built is left out at once.
    const top = first.items[0]!.paper;
    await setPaperHidden(store.db, { id: null, label: 'test curator' }, { id: top.id, arxivId: top.arxivId }, true, 'spam', now);
    expect((await recommendForUser(store.db, u, range)).items.map((r) => r.paper.id)).not.toContain(top.id);
    await setPaperHidden(store.db, { id: null, label: 'test curator' }, { id: top.id, arxivId: top.arxivId }, false, 'not spam', now);
  });
});

describe.each(testDialects())('the window warmer on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => { store = await createTestStore(dialect); });
  afterAll(() => store.cleanup());

  it('builds the default window at start and the new week when a day arrives, which lists use meanwhile', async () => {
    const now = new Date('2026-07-01T10:00:00Z');
    await createPaper(store, { arxivId: '2603.00001', announcedOn: '2026-03-02', title: 'Protein folding with diffusion', abstract: 'Diffusion models fold proteins.' });
    await createPaper(store, { arxivId: '2606.50001', announcedOn: '2026-06-29', title: 'Diffusion models for protein folding', abstract: 'We fold proteins with diffusion.' });
    const lines: string[] = [];
    const log = createLogger('info', (line) => lines.push(line));
    const warmer = startWindowWarmer(store.db, log, { intervalMs: 3_600_000 });
    await warmer.ready;
    warmer.stop();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(expect.objectContaining({ event: 'recommend_window_built', since: '2026-06-23', until: '2026-06-29', papers: 1 }));
    const u = (await ensureUser(store.db, 'warm@example.org', now)).id;
    await savePaper(store.db, u, (await findPaperByArxivId(store.db, '2603.00001'))!.id, {}, now);
    expect((await recommendForUser(store.db, u)).items.map((r) => r.paper.arxivId)).toEqual(['2606.50001']);
    // A new day: until its week is built, the list is last week's (and says so); then the new one.
    await createPaper(store, { arxivId: '2606.50002', announcedOn: '2026-06-30', title: 'Folding proteins by diffusion', abstract: 'Protein diffusion folding.' });
    const meanwhile = await recommendForUser(store.db, u);
    expect(meanwhile).toMatchObject({ since: '2026-06-23', until: '2026-06-29' });
    await loadWindow(store.db, '2026-06-24', '2026-06-30', { fresh: true });
    const next = await recommendForUser(store.db, u);
    expect(next).toMatchObject({ since: '2026-06-24', until: '2026-06-30' });
    expect(next.items.map((r) => r.paper.arxivId).sort()).toEqual(['2606.50001', '2606.50002']);
  });
});

describe.each(testDialects())('generality of window papers on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => { store = await createTestStore(dialect); });
  afterAll(() => store.cleanup());

  it('measures each window paper against older papers, higher for one in everyone’s vocabulary, and takes half of it off the paper’s score', async () => {
    const fields = ['deep learning model training data', 'language model benchmark evaluation', 'neural network model data results'];
    await upsertPapers(store.db, Array.from({ length: 240 }, (_, i) => ({
      arxivId: `2601.${String(20000 + i)}`, announcedOn: '2026-01-15', authors: ['Someone'], categories: ['cs.LG'],
      title: `Study ${i} of ${fields[i % 3]}`, abstract: `We train a model on data: ${fields[i % 3]}, ${fields[(i + 1) % 3]}.`,
    })));
    await createPaper(store, { arxivId: '2606.60001', announcedOn: '2026-06-29', title: 'A deep learning model trained on data', abstract: 'Neural network model training data results for a language model benchmark.' });
    await createPaper(store, { arxivId: '2606.60002', announcedOn: '2026-06-29', title: 'Spin glass replica symmetry breaking with a learning model', abstract: 'Replica symmetry breaking in spin glasses, studied with a learning model.' });
    const w = await loadWindow(store.db, '2026-06-23', '2026-06-29', { fresh: true });
    const general = new Map(w.papers.map((p, i) => [p.paperId, w.generality[i]!]));
    const hub = general.get((await findPaperByArxivId(store.db, '2606.60001'))!.id)!;
    const specific = general.get((await findPaperByArxivId(store.db, '2606.60002'))!.id)!;
    expect(specific).toBeGreaterThan(0);
    expect(hub).toBeGreaterThan(specific + 0.2);
    // Each listed paper's score is lowered by half its generality.
    const now = new Date('2026-07-01T10:00:00Z');
    const u = (await ensureUser(store.db, 'both@example.org', now)).id;
    await createPaper(store, { arxivId: '2602.60003', announcedOn: '2026-02-02', title: 'Replica symmetry breaking in spin glasses and deep learning model data', abstract: 'Spin glass replicas, neural network model training data.' });
    await savePaper(store.db, u, (await findPaperByArxivId(store.db, '2602.60003'))!.id, {}, now);
    const range = { since: '2026-06-23', until: '2026-06-29' };
    const corrected = await recommendForUser(store.db, u, range);
    const plain = new Map((await recommendForUser(store.db, u, { ...range, weights: { ...DEFAULT_WEIGHTS, generality: 0 } })).items.map((r) => [r.paper.id, r.score]));
    expect(corrected.items).toHaveLength(2);
    for (const r of corrected.items) expect(r.score).toBeCloseTo(plain.get(r.paper.id)! - 0.5 * general.get(r.paper.id)!, 5);
  });
});
