// @albert-ts/backends: picking and initialising a tfjs backend, gradient registration,
// and the project's own kernels.
export { AlbertError, BackendError } from './errors.js';
export { hasGradient } from './gradients.js';
export { type BackendName, type BackendReport, type InitBackendOptions, initBackend } from './init.js';
