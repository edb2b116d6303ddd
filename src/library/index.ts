// The personal library: saved papers with tags, notes and read marks; tags as ordered lists, the
// public ones being collections; import from BibTeX or id lists and export as BibTeX or JSONL.
export * from './collections.ts';
export * from './export-library.ts';
export * from './import-list.ts';
export * from './library.ts';
export * from './tags.ts';
export * from './feed-tokens.ts';
