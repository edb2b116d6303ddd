export * from './mailer.ts';
export * from './outbox.ts';
export * from './sender.ts';
export * from './job.ts';
