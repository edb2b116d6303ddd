// The harvest module's public face: OAI-PMH harvesting, fetching single papers, the schedule, status.
export { harvestArxiv, HarvestError, HARVEST_LEASE, type HarvestOptions, type HarvestOutcome } from './harvest.ts';
export { ArxivUnavailableError, createArxivClient, type ArxivClient } from './arxiv-client.ts';
export { parseOaiPage, announcedFromOai, OaiFormatError, type OaiPage, type OaiRecord } from './parse-oai.ts';
export { listRecentRuns, type HarvestRun } from './runs.ts';
export { fetchArxivPapers, fetchAndStore, type FetchResult, type FetchAndStoreResult, type FetchOptions } from './fetch-by-id.ts';
export { harvestJob, harvestIsDue, nextHarvestTimes, HARVEST_JOB, HARVEST_TIMEZONE, type HarvestJobDeps } from './job.ts';
export { harvestStatus, type HarvestStatus } from './status.ts';
