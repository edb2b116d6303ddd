export * from './db.ts';
export * from './migrate.ts';
export type * from './schema.ts';
export * from './settings.ts';
export * from './change-version.ts';
