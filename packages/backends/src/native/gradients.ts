// Gradients of the fused ALBERT kernels. tfjs keeps one gradient per kernel name for all
// backends; only the native backend registers these kernels, so only it ever runs them.
import {
  AlbertAddLayerNorm,
  AlbertDense,
  AlbertDenseGrad,
  AlbertDropout,
  AlbertGelu,
  AlbertGeluGrad,
  AlbertGeluNew,
  AlbertGeluNewGrad,
  AlbertLayerNorm,
  type AlbertLayerNormAttrs,
  AlbertLayerNormGrad,
  AlbertMaskedSoftmax,
  type AlbertMaskedSoftmaxAttrs,
  AlbertMaskedSoftmaxGrad,
} from '@albert-ts/common';
import {
  clone,
  engine,
  getGradient,
  type NamedAttrMap,
  registerGradient,
  reshape,
  slice,
  sum,
  type Tensor,
} from '@tensorflow/tfjs-core';

function run(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap = {}): Tensor {
  return engine().runKernel(name, inputs, attrs) as Tensor;
}

// The layer norm's gradients at input x (the normalised tensor). tfjs calls one closure per
// input, each inside its own tidy, and keeps what it returns; so dgamma and dbeta come from one
// pass computed here, at gradient time, in the enclosing backward scope (freed with it), and
// each closure slices its row out.
function layerNormGrads(dy: Tensor, x: Tensor, gamma: Tensor, epsilon: number) {
  const params = run(AlbertLayerNormGrad, { dy, x, gamma }, { epsilon, output: 'params' }); // [2, cols]
  const cols = params.shape[1] as number;
  const row = (i: number) => () => reshape(slice(params, [i, 0], [1, cols]), gamma.shape);
  return {
    dx: () => run(AlbertLayerNormGrad, { dy, x, gamma }, { epsilon, output: 'x' }),
    dgamma: row(0),
    dbeta: row(1),
  };
}

export function registerAlbertGradients(): void {
  if (getGradient(AlbertLayerNorm) == null) {
    registerGradient({
      kernelName: AlbertLayerNorm,
      inputsToSave: ['x', 'gamma'],
      gradFunc: (dy, saved, attrs) => {
        const [x, gamma] = saved as [Tensor, Tensor];
        const epsilon = (attrs as unknown as AlbertLayerNormAttrs).epsilon;
        const g = layerNormGrads(dy as Tensor, x, gamma, epsilon);
        return { x: g.dx, gamma: g.dgamma, beta: g.dbeta };
      },
    });
  }
  // d/dx = d/dresidual = the layer norm's input gradient at x + residual (the sum recomputed
  // here, once, rather than saved from the forward). It is computed once: the first closure
  // tfjs calls returns it, the other a clone (same data, its own tensor, since tfjs may dispose
  // one input's accumulated gradient while the other's is still in use).
  if (getGradient(AlbertAddLayerNorm) == null) {
    registerGradient({
      kernelName: AlbertAddLayerNorm,
      inputsToSave: ['x', 'residual', 'gamma'],
      gradFunc: (dy, saved, attrs) => {
        const [x, residual, gamma] = saved as [Tensor, Tensor, Tensor];
        const epsilon = (attrs as unknown as AlbertLayerNormAttrs).epsilon;
        const g = layerNormGrads(dy as Tensor, run('Add', { a: x, b: residual }), gamma, epsilon);
        let dSum: Tensor | undefined;
        const dInput = () => {
          if (dSum != null && !dSum.isDisposed) return clone(dSum);
          dSum = g.dx();
          return dSum;
        };
        return { x: dInput, residual: dInput, gamma: g.dgamma, beta: g.dbeta };
      },
    });
  }
  // y = softmax(z), z = scores * scale + mask: dz = y * (dy - sum(dy * y)); dscores = dz * scale,
  // dmask = dz summed over the rows sharing each mask row.
  if (getGradient(AlbertMaskedSoftmax) == null) {
    registerGradient({
      kernelName: AlbertMaskedSoftmax,
      inputsToSave: ['mask'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [mask, y] = saved as [Tensor, Tensor];
        const scale = (attrs as unknown as AlbertMaskedSoftmaxAttrs).scale;
        const dz = (times: number) => run(AlbertMaskedSoftmaxGrad, { dy: dy as Tensor, y }, { scale: times });
        const cols = y.shape[y.shape.length - 1] as number;
        const batch = y.shape[0] as number;
        return {
          scores: () => dz(scale),
          mask: () => reshape(sum(reshape(dz(1), [batch, -1, cols]), 1), mask.shape),
        };
      },
    });
  }
  // y = x * mask / (1 - rate): dx = dy * mask / (1 - rate), the mask regenerated from the seed.
  if (getGradient(AlbertDropout) == null) {
    registerGradient({
      kernelName: AlbertDropout,
      gradFunc: (dy, _saved, attrs) => ({ x: () => run(AlbertDropout, { x: dy as Tensor }, attrs as NamedAttrMap) }),
    });
  }
  // y = x W + b: dx = dy Wᵀ, dW = xᵀ dy, db = dy summed over rows, each computed by its own
  // closure (only when tfjs asks for it), one kernel call each.
  if (getGradient(AlbertDense) == null) {
    registerGradient({
      kernelName: AlbertDense,
      inputsToSave: ['x', 'weight'],
      gradFunc: (dy, saved) => {
        const [x, weight] = saved as [Tensor, Tensor];
        const grad = (output: 'x' | 'weight' | 'bias') => () =>
          run(AlbertDenseGrad, { dy: dy as Tensor, x, weight }, { output });
        return { x: grad('x'), weight: grad('weight'), bias: grad('bias') };
      },
    });
  }
  for (const [name, gradName] of [
    [AlbertGelu, AlbertGeluGrad],
    [AlbertGeluNew, AlbertGeluNewGrad],
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
