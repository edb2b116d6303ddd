// The one interface every embedding provider implements, and what a paper's embedded text is.
import { createHash } from 'node:crypto';

export interface Embedder {
  /** Which provider: transformers | openai | builtin. */
  readonly provider: string;
  /** The model's name as stored beside every vector; a different name means different vectors. */
  readonly model: string;
  /** Vector length; known after the first call for providers that only learn it from an answer. */
  dimension(): number | undefined;
  /** Unit-length vectors for passages (papers), in input order. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** A unit-length vector for a search query, with the model's query instruction when it wants one. */
  embedQuery(text: string): Promise<Float32Array>;
  close?(): Promise<void>;
}

/**
 * Retrieval models trained with an instruction on the query side (and sometimes on passages).
 * From each model card: bge v1.5 (English) asks for the query prefix below; e5 wants "query: " /
 * "passage: "; nomic-embed wants "search_query: " / "search_document: ".
 */
export function instructionsFor(model: string): { query: string; document: string } {
  const m = model.toLowerCase();
  if (/bge-(small|base|large)-en/.test(m)) return { query: 'Represent this sentence for searching relevant passages: ', document: '' };
  if (/(^|\/)(multilingual-)?e5-/.test(m)) return { query: 'query: ', document: 'passage: ' };
  if (m.includes('nomic-embed-text')) return { query: 'search_query: ', document: 'search_document: ' };
  return { query: '', document: '' };
}

/** What is embedded for a paper: its title and abstract. */
export function paperText(p: { title: string; abstract: string }): string {
  return `${p.title.trim()}. ${p.abstract.trim()}`.replace(/\s+/g, ' ');
}

/** Key of the embedding cache, with the model name: same model + same text → same vector. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

/** Failure of an embedding provider that an operator must fix (bad key, unknown model, bad URL). */
export class EmbeddingError extends Error {
  constructor(message: string, readonly retryable = false, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmbeddingError';
  }
}
