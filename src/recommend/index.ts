// Recommendations: a reader's new papers ranked by their library, upvotes and follows, with reasons.
export * from './recommend.ts';
export { DEFAULT_STAGES, DEFAULT_WEIGHTS, type Reason, type RankWeights, type Stages } from './rank.ts';
export { describeReason } from './reasons.ts';
export { startWindowWarmer, type WindowWarmer } from './warm.ts';
