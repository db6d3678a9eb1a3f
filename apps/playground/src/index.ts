// @albert-ts/playground (private): the `albert` CLI and the web page's server, importable for tests
// and for the root `pnpm demo`.
export { createProgram } from './cli/program.js';
export { ModelLoadError, UsageError } from './errors.js';
export { type ModelInfo, modelInfo } from './info/model-info.js';
export { countByPart, type ParameterCounts } from './info/parameters.js';
export * from './info/sharing.js';
export { chooseModel, fixtureFolder, type ModelChoice } from './models/choose-model.js';
export { FIXTURE_FOR_TASK, FIXTURE_NAMES, fixtureNotice } from './models/fixture-names.js';
export { buildWeb, type ServeWebOptions, serveWeb, type WebServer } from './web-server/serve-web.js';
