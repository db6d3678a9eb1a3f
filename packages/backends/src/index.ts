// @albert-ts/backends: picking and initialising a tfjs backend, gradient registration,
// the wasm backend's missing kernels, the fp16-safe attention mask value, and the
// project's own kernels.
export { availableBackends } from './available.js';
export { AlbertError, BackendError, KernelError } from './errors.js';
export { hasGradient } from './gradients.js';
export {
  BACKEND_NAMES,
  type BackendName,
  type BackendReport,
  BROWSER_ORDER,
  formatBackendReport,
  type InitBackendOptions,
  initBackend,
  NODE_ORDER,
  registerBackendProvider,
} from './init.js';
export { MASK_NEGATIVE_FP16, MASK_NEGATIVE_FP32, maskNegative } from './mask.js';
export type { Provider, ProviderContext, ProviderInfo } from './providers.js';
