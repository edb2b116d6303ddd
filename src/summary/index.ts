// Key phrases, a TL;DR and (optionally) a model-written summary for every paper.
export { extractSummary, stemsOf, splitSentences, type Extracted } from './extract.ts';
export { countPendingSummaries, runSummaries, SUMMARY_CRON, SUMMARY_JOB, type SummaryCounts, type SummaryJobDeps } from './job.ts';
export { createChatSummarizer, parseModelAnswer, SummaryError, type ModelSummary } from './chat-client.ts';
