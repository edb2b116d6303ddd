export * from './audit.ts';
export * from './fetch-papers.ts';
export * from './moderation.ts';
export * from './submissions.ts';
export * from './votes.ts';
