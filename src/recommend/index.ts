// Recommendations: a reader's new papers ranked by their library, upvotes and follows, with reasons.
export * from './recommend.ts';
export { DEFAULT_WEIGHTS, type RankWeights } from './rank.ts';
export { DEFAULT_STAGES, type Stages } from './content-score.ts';
export { describeReason, type Reason } from './reasons.ts';
export { startWindowWarmer, type WindowWarmer } from './warm.ts';
