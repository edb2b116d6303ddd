export * from './bibtex.ts';
export * from './papers.ts';
export * from './write.ts';
