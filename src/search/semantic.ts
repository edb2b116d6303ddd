// The seam between keyword search and the semantic half (embedders, vector index).
export interface SemanticSearch {
  /** Nearest papers to free text, best first; [] while vectors are not ready. */
  searchText(query: string, k: number): Promise<Array<{ paperId: number; score: number }>>;
  similarTo(paperId: number, k: number): Promise<Array<{ paperId: number; score: number }>>;
  status(): { provider: string; model: string | undefined; ready: boolean; indexed: number; pending: number };
}
