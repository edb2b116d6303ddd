export * from './profiles.ts';
export * from './avatar.ts';
export * from './claims.ts';
export * from './authors.ts';
