// Gradients of the fused ALBERT kernels. tfjs keeps one gradient per kernel name for all
// backends; only the native backend registers these kernels, so only it ever runs them.
import {
  engine,
  getGradient,
  mul,
  type NamedAttrMap,
  registerGradient,
  reshape,
  sub,
  sum,
  type Tensor,
} from '@tensorflow/tfjs-core';

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
  // y = softmax(z), z = scores * scale + mask: dz = y * (dy - sum(dy * y)); dscores = dz * scale,
  // dmask = dz summed over the rows sharing each mask row.
  if (getGradient('AlbertMaskedSoftmax') == null) {
    registerGradient({
      kernelName: 'AlbertMaskedSoftmax',
      inputsToSave: ['mask'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [mask, y] = saved as [Tensor, Tensor];
        const scale = (attrs as { scale: number }).scale;
        const dz = () => {
          const dyY = mul(dy as Tensor, y);
          return sub(dyY, mul(sum(dyY, -1, true), y));
        };
        const cols = y.shape[y.shape.length - 1] as number;
        const batch = y.shape[0] as number;
        return {
          scores: () => mul(dz(), scale),
          mask: () => reshape(sum(reshape(dz(), [batch, -1, cols]), 1), mask.shape),
        };
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
