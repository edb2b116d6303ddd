// The code papers link to: GitHub stars and last push, refreshed by the github-stars job.
export { refreshStars, STARS_CRON, STARS_JOB, type StarsCounts, type StarsJobDeps } from './job.ts';
export { createGithubClient, githubFullName, type RepoAnswer } from './github-client.ts';
