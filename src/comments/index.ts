export * from './markdown.ts';
export * from './post.ts';
export * from './moderation.ts';
export * from './queries.ts';
export * from './notify.ts';
