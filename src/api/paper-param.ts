// The paper an API path names: any form of arXiv id (versioned, prefixed, old-style), or a 404 that
// names the parameter. The web's paper pages do the same with friendlier words (paperFromPath).
import { HttpError, type AppDeps } from '../http/index.ts';
import { ARXIV_ID_HELP, findPaperByArxivId, parseArxivId, type Paper } from '../papers/index.ts';

/** The paper `raw` (the value of parameter `field`) names; 404 when it is not an arXiv id or not here. */
export async function paperOr404(deps: Pick<AppDeps, 'db'>, raw: string, field = 'id'): Promise<Paper> {
  const parsed = parseArxivId(raw);
  if (!parsed) throw new HttpError(404, 'not_found', `${field}: "${raw.slice(0, 80)}" is not an arXiv id; ${ARXIV_ID_HELP}`);
  const paper = await findPaperByArxivId(deps.db, parsed.id);
  if (!paper) throw new HttpError(404, 'not_found', `no paper ${parsed.id}`);
  return paper;
}
