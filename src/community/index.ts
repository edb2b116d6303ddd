export * from './audit.ts';
export * from './fetch-one-paper.ts';
export * from './moderation.ts';
export * from './submissions.ts';
export * from './votes.ts';
