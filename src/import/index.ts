export * from './import-file.ts';
export * from './records.ts';
