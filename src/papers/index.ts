export * from './arxiv-id.ts';
export * from './links.ts';
export * from './paper.ts';
export * from './period.ts';
export * from './queries.ts';
export * from './upsert.ts';
export * from './categories.ts';
export * from './extras.ts';
