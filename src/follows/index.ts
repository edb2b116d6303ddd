// Follows: authors, categories and saved searches a user wants to see first.
export * from './follows.ts';
