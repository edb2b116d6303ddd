export * from './api-tokens.ts';
export * from './login.ts';
export * from './rate-limit.ts';
export * from './sessions.ts';
export * from './tokens.ts';
export * from './users.ts';
export * from './sign-in-mail.ts';
