// Hugging Face daily papers as a prior: upvotes, comments, submitters and links for known papers.
export { hfFactsOf, recordHfFacts, type HfFacts } from './facts.ts';
export { hfSyncJob, HF_SYNC_JOB, syncHfDailyPapers, type HfSyncCounts, type HfSyncDeps } from './sync.ts';
