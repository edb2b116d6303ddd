// Placeholder until the semantic helper's fusion lands: keyword order unchanged.
export function fuseRankings(
  keyword: Array<{ paperId: number; score: number }>,
  _semantic: Array<{ paperId: number; score: number }>,
): Array<{ paperId: number; score: number }> {
  return keyword;
}
