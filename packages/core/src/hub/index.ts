// Model sources: local folders, base URLs and Hugging Face hub ids with an HF-compatible cache.
export type { Progress } from './download.js';
export { HubError, type HubErrorCode } from './errors.js';
export { isCommitHash, validateFileName, validateRepoId, validateRevision } from './names.js';
export { DEFAULT_ENDPOINT, type HubSettings, resolveHubSettings } from './settings.js';
export { type ModelSource, type OpenModelSourceOptions, openModelSource } from './source.js';
