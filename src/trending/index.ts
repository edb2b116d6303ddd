export * from './queries.ts';
export * from './score.ts';
