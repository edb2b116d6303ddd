// Rising topics: burst scores of key phrases and categories over weekly counts.
export { burstScore, isRising, MIN_BURST, MIN_COUNT, PREVIOUS_WEEKS, type Burst, type WeeklySeries } from './burst.ts';
export { findPhraseTopic, findTrends, WEEKS, type TopicTrend, type Trends } from './topics.ts';
