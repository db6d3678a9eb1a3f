// tfjs-core registers no gradient functions on import, and its register_all_gradients file
// cannot be imported by Node ESM as shipped (extensionless imports). scripts/bundle-gradients.mjs
// bundles it into gen/ at install and build time; importing this module registers them all.
import '../gen/register_all_gradients.js';
import { getGradient } from '@tensorflow/tfjs-core';

/** True when the gradient of `kernelName` is registered (e.g. 'BatchMatMul'). */
export function hasGradient(kernelName: string): boolean {
  return getGradient(kernelName) != null;
}
