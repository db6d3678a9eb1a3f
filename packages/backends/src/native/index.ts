// The native backend for Node: an N-API addon (native/) with a packed AVX-512/AVX2 GEMM and
// vectorised kernels, exposed to tfjs as the 'native' backend. See README "Native backend".
export {
  defaultNativeDir,
  loadNativeAddon,
  type NativeAddon,
  type NativeAddonOrigin,
  nativeAddonOrigin,
} from './addon.js';
export { NativeBackend } from './backend.js';
export { nativeKernelNames, registerNativeBackend } from './register.js';
