// Gradients of the fused ALBERT kernels. tfjs keeps one gradient per kernel name for all
// backends; only the native backend registers these kernels, so only it ever runs them.
import { engine, getGradient, type NamedAttrMap, registerGradient, type Tensor } from '@tensorflow/tfjs-core';

function run(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap = {}): Tensor {
  return engine().runKernel(name, inputs, attrs) as Tensor;
}

export function registerAlbertGradients(): void {
  if (getGradient('AlbertLayerNorm') == null) {
    registerGradient({
      kernelName: 'AlbertLayerNorm',
      inputsToSave: ['x', 'gamma'],
      gradFunc: (dy, saved, attrs) => {
        const [x, gamma] = saved as [Tensor, Tensor];
        const epsilon = (attrs as { epsilon: number }).epsilon;
        const grad = (output: string) => () =>
          run('AlbertLayerNormGrad', { dy: dy as Tensor, x, gamma }, { epsilon, output });
        return { x: grad('x'), gamma: grad('gamma'), beta: grad('beta') };
      },
    });
  }
  // d/dx = d/dresidual = the layer norm's input gradient at x + residual (recomputed here, one
  // add, rather than saved from the forward).
  if (getGradient('AlbertAddLayerNorm') == null) {
    registerGradient({
      kernelName: 'AlbertAddLayerNorm',
      inputsToSave: ['x', 'residual', 'gamma'],
      gradFunc: (dy, saved, attrs) => {
        const [x, residual, gamma] = saved as [Tensor, Tensor, Tensor];
        const epsilon = (attrs as { epsilon: number }).epsilon;
        const grad = (output: string) => () => {
          const sum = run('Add', { a: x, b: residual });
          const g = run('AlbertLayerNormGrad', { dy: dy as Tensor, x: sum, gamma }, { epsilon, output });
          sum.dispose();
          return g;
        };
        return { x: grad('x'), residual: grad('x'), gamma: grad('gamma'), beta: grad('beta') };
      },
    });
  }
  for (const [name, gradName] of [
    ['AlbertGelu', 'AlbertGeluGrad'],
    ['AlbertGeluNew', 'AlbertGeluNewGrad'],
  ] as const) {
    if (getGradient(name) != null) continue;
    registerGradient({
      kernelName: name,
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [Tensor];
        return { x: () => run(gradName, { dy: dy as Tensor, x }) };
      },
    });
  }
}
