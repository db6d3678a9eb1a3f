// The optimizers' fused update (@albert-ts/training): AlbertAdamUpdate {param, grad, m, v}
// {beta1, beta2, epsilon, vScale, decayInUpdate, preScale, stepSize, postScale} returns
// [param', m', v'] computed in one pass (native/src/optim.h gives the rule); AlbertLambUpdate,
// same inputs and attributes, also applies LAMB's trust ratio ‖w‖/‖u‖ and returns a fourth
// output, [‖w‖, ‖u‖, ratio]. No gradients: an optimizer step is never taped.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

type UpdateAttrs = Record<
  'beta1' | 'beta2' | 'epsilon' | 'vScale' | 'decayInUpdate' | 'preScale' | 'stepSize' | 'postScale',
  number
>;

function updateKernel(name: string, layerAdaptation: boolean): NativeKernel {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const { param, grad, m, v } = args.inputs as Record<'param' | 'grad' | 'm' | 'v', TensorInfo>;
    const a = args.attrs as unknown as UpdateAttrs;
    if (!isF32(backend, param, grad, m, v))
      throw new KernelError(`${name} takes float32 tensors, got ${[param, grad, m, v].map((t) => t.dtype).join(', ')}`);
    const n = size(param.shape);
    if ([grad, m, v].some((t) => size(t.shape) !== n))
      throw new KernelError(
        `${name}: grad [${grad.shape}], m [${m.shape}] and v [${v.shape}] must have param's size [${param.shape}]`,
      );
    const w1 = backend.allocF32(n);
    const m1 = backend.allocF32(n);
    const v1 = backend.allocF32(n);
    const norms = layerAdaptation ? new Float32Array(3) : null;
    backend.addon.adamUpdate!(
      f32(backend, param),
      f32(backend, grad),
      f32(backend, m),
      f32(backend, v),
      w1,
      m1,
      v1,
      norms,
      a.beta1,
      a.beta2,
      a.epsilon,
      a.vScale,
      a.decayInUpdate,
      a.preScale,
      a.stepSize,
      a.postScale,
    );
    const outs = [
      backend.makeTensorInfo(param.shape, 'float32', w1),
      backend.makeTensorInfo(param.shape, 'float32', m1),
      backend.makeTensorInfo(param.shape, 'float32', v1),
    ];
    if (norms != null) outs.push(backend.makeTensorInfo([3], 'float32', norms));
    return outs;
  };
  return { kernelName: name, kernelFunc, needs: 'adamUpdate' };
}

export const optimizerKernels: NativeKernel[] = [
  updateKernel('AlbertAdamUpdate', false),
  updateKernel('AlbertLambUpdate', true),
];
