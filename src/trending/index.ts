export * from './listing.ts';
export * from './queries.ts';
export * from './score.ts';
