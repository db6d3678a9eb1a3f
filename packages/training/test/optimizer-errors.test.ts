// Bad input to the optimizers: each a typed error (OptimizerError, OptimizerStateError) whose
// message names the problem.
import { initBackend } from '@albert-ts/backends';
import { AlbertError } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AdamW,
  AdamWeightDecay,
  HfLegacyAdamW,
  Lamb,
  type Optimizer,
  OptimizerError,
  type OptimizerState,
  OptimizerStateError,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

// Hugging Face names, as a task model's namedParameters() gives them.
function model(): Map<string, tf.Variable> {
  return new Map([
    ['albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight', tf.variable(tf.ones([4, 3]))],
    ['albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias', tf.variable(tf.zeros([3]))],
    ['albert.embeddings.LayerNorm.weight', tf.variable(tf.ones([4]))],
  ]);
}
function gradsFor(params: Map<string, tf.Variable>): Map<string, tf.Tensor> {
  return new Map([...params].map(([k, p]) => [k, tf.fill(p.shape, 0.5)]));
}

describe('options and inputs', () => {
  it.each([-1e-3, Number.NaN, Number.POSITIVE_INFINITY])('a learning rate of %s is an OptimizerError', (lr) => {
    const params = model();
    const run = () => new AdamW().applyGradients(params, gradsFor(params), lr);
    expect(run).toThrow(OptimizerError);
    expect(run).toThrow(/the learning rate must be a finite number ≥ 0/);
  });

  it("a learning rate of 0 (ALBERT's schedule at step 0) updates the moments only", () => {
    const params = model();
    const opt = new AdamWeightDecay();
    opt.applyGradients(params, gradsFor(params), 0);
    expect(Array.from(params.get('albert.embeddings.LayerNorm.weight')!.dataSync())).toEqual([1, 1, 1, 1]);
    expect(opt.step).toBe(1);
  });

  it('a name rule matching no parameter is an OptimizerError naming the rule', () => {
    const params = model();
    const opt = new Lamb({ excludeFromWeightDecay: ['Layernorm', 'biases'] });
    const run = () => opt.applyGradients(params, gradsFor(params), 1e-3);
    expect(run).toThrow(OptimizerError);
    expect(run).toThrow("Lamb: excludeFromWeightDecay ['Layernorm', 'biases'] matches none of the 3 parameter names");
    expect(opt.step).toBe(0);
    const adaptation = new Lamb({ excludeFromLayerAdaptation: [/^bert\./] });
    expect(() => adaptation.applyGradients(params, gradsFor(params), 1e-3)).toThrow(
      "excludeFromLayerAdaptation ['/^bert\\./'] matches none",
    );
    // ALBERT's defaults are not checked (a classifier alone has no LayerNorm), user rules that match are fine.
    expect(() =>
      new Lamb({ excludeFromWeightDecay: ['LayerNorm', 'no_such'] }).applyGradients(params, gradsFor(params), 1e-3),
    ).not.toThrow();
  });

  it('an invalid pattern is an OptimizerError', () => {
    expect(() => new AdamW({ excludeFromWeightDecay: ['LayerNorm('] })).toThrow(
      /pattern 'LayerNorm\(' is not a valid regular expression/,
    );
  });

  it.each([
    [{ beta1: 1 }, /beta1 must be in \[0, 1\)/],
    [{ beta2: -0.1 }, /beta2 must be in \[0, 1\)/],
    [{ epsilon: -1 }, /epsilon must be a finite number ≥ 0/],
    [{ weightDecay: Number.NaN }, /weightDecay must be a finite number ≥ 0/],
    [{ implementation: 'gpu' as 'ops' }, /implementation must be 'auto' or 'ops'/],
  ])('%j is an OptimizerError', (options, message) => {
    for (const make of [() => new AdamW(options), () => new HfLegacyAdamW(options), () => new Lamb(options)]) {
      expect(make).toThrow(OptimizerError);
      expect(make).toThrow(message);
    }
  });

  it('a gradient without a parameter, of another shape or dtype is an OptimizerError', () => {
    const params = model();
    const opt = new AdamW();
    const name = 'albert.embeddings.LayerNorm.weight';
    expect(() => opt.applyGradients(params, new Map([['albert.pooler.weight', tf.ones([4])]]), 1e-3)).toThrow(
      "gradient 'albert.pooler.weight' has no parameter of that name",
    );
    expect(() => opt.applyGradients(params, new Map([[name, tf.ones([5])]]), 1e-3)).toThrow(
      `the gradient of '${name}' has shape [5], the parameter [4]`,
    );
    expect(() => opt.applyGradients(params, new Map([[name, tf.ones([4], 'int32')]]), 1e-3)).toThrow(
      `'${name}' must be float32`,
    );
    expect(opt.step).toBe(0);
  });
});

describe('state', () => {
  function trained(make: () => Optimizer): { opt: Optimizer; state: OptimizerState } {
    const params = model();
    const opt = make();
    opt.applyGradients(params, gradsFor(params), 1e-3);
    return { opt, state: opt.getState() };
  }
  const key = 'albert.embeddings.LayerNorm.weight';

  it('holds <param>/m and <param>/v by name, the step and the config', () => {
    const { state } = trained(() => new Lamb());
    expect([...state.tensors.keys()].sort()).toEqual([...model().keys()].flatMap((k) => [`${k}/m`, `${k}/v`]).sort());
    expect(state.step).toBe(1);
    expect(state.config).toEqual({
      optimizer: 'Lamb',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-6,
      weightDecay: 0.01,
      excludeFromWeightDecay: ['LayerNorm', 'layer_norm', 'bias'],
      excludeFromLayerAdaptation: ['LayerNorm', 'layer_norm', 'bias'],
    });
  });

  it('another optimizer or other hyper-parameters are an OptimizerStateError naming them', () => {
    const { state } = trained(() => new Lamb());
    expect(() => new AdamW().setState(state)).toThrow(OptimizerStateError);
    expect(() => new AdamW().setState(state)).toThrow(/optimizer="Lamb".*this one has optimizer="AdamW"/);
    expect(() => new Lamb({ beta2: 0.98 }).setState(state)).toThrow('(beta2=0.999; this one has beta2=0.98)');
  });

  it.each([
    ['a missing second moment', (s: OptimizerState) => s.tensors.delete(`${key}/v`), /has only one of its moments/],
    ['moments of two shapes', (s: OptimizerState) => s.tensors.set(`${key}/v`, tf.ones([5])), /differ in shape/],
    ['a NaN', (s: OptimizerState) => s.tensors.set(`${key}/m`, tf.tensor([0, Number.NaN, 0, 0])), /NaN or infinite/],
    [
      'a negative second moment',
      (s: OptimizerState) => s.tensors.set(`${key}/v`, tf.tensor([0, -1, 0, 0])),
      /negative second moments/,
    ],
    [
      'an unknown slot',
      (s: OptimizerState) => s.tensors.set(`${key}/momentum`, tf.ones([4])),
      /is not '<parameter>\/m'/,
    ],
    [
      'an int32 moment',
      (s: OptimizerState) => s.tensors.set(`${key}/m`, tf.ones([4], 'int32')),
      /must be a live float32 tensor/,
    ],
    ['a fractional step', (s: OptimizerState) => Object.assign(s, { step: 1.5 }), /step must be an integer ≥ 0/],
  ])('%s is a corrupt state (OptimizerStateError)', (_what, corrupt, message) => {
    const { state } = trained(() => new AdamW());
    corrupt(state);
    const fresh = new AdamW();
    expect(() => fresh.setState(state)).toThrow(OptimizerStateError);
    expect(() => fresh.setState(state)).toThrow(message);
    expect(fresh.step).toBe(0);
  });

  it("a state of another model's parameters is an OptimizerStateError at the next update", () => {
    const { state } = trained(() => new AdamW());
    const opt = new AdamW();
    opt.setState(state);
    const other = model();
    other.set('albert.embeddings.LayerNorm.weight', tf.variable(tf.ones([8])));
    expect(() => opt.applyGradients(other, gradsFor(other), 1e-3)).toThrow(
      "the loaded moments of 'albert.embeddings.LayerNorm.weight' are [4], the parameter is [8]",
    );
    const renamed = new Map([...model()].map(([k, v]) => [k.replace('albert.', 'bert.'), v]));
    expect(() => opt.applyGradients(renamed, gradsFor(renamed), 1e-3)).toThrow(OptimizerStateError);
    expect(() => opt.applyGradients(renamed, gradsFor(renamed), 1e-3)).toThrow(/which is not one of the 3 parameters/);
    expect(opt.step).toBe(1);
  });

  it('every error is an AlbertError', () => {
    expect(new OptimizerStateError('x')).toBeInstanceOf(AlbertError);
    expect(new OptimizerError('x')).toBeInstanceOf(AlbertError);
  });
});
