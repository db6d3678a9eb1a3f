// What AdamW, the legacy AdamW, ALBERT's AdamWeightDecayOptimizer and LAMB share: first and
// second moments per parameter name, a step counter, checks of every input, and the state by
// name for checkpoints. A subclass says how one parameter's update is scaled (adam-update.ts).
import * as tf from '@tensorflow/tfjs-core';
import { type AdamUpdateRule, adamUpdate, type UpdateImplementation } from './adam-update.js';
import { OptimizerError, OptimizerStateError } from './errors.js';
import type { Optimizer, OptimizerState } from './optimizer.js';

export type AdamFamilyOptions = {
  /** β1, the first moment's decay (default 0.9). */
  beta1?: number;
  /** β2, the second moment's decay (default 0.999). */
  beta2?: number;
  /** ε added to √v (default 1e-6, ALBERT's and the fixtures'; torch's default is 1e-8). */
  epsilon?: number;
  /** Weight-decay rate (default 0.01). */
  weightDecay?: number;
  /** 'auto' (default): the fused kernel where the backend has one; 'ops': always tfjs ops. */
  implementation?: UpdateImplementation;
};

type Moments = { m: tf.Tensor; v: tf.Tensor };

export abstract class AdamFamilyOptimizer implements Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly implementation: UpdateImplementation;
  private count = 0;
  private moments = new Map<string, Moments>();
  // After setState: the loaded names and shapes are checked against the next update's parameters.
  private unchecked = false;

  protected constructor(
    /** The optimizer's name, in messages and in the state's config. */
    readonly kind: string,
    options: AdamFamilyOptions,
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-6;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.implementation = options.implementation ?? 'auto';
    for (const [key, value] of [
      ['beta1', this.beta1],
      ['beta2', this.beta2],
    ] as const) {
      if (!(value >= 0 && value < 1)) throw new OptimizerError(`${kind}: ${key} must be in [0, 1), got ${value}.`);
    }
    if (!(this.epsilon >= 0 && Number.isFinite(this.epsilon)))
      throw new OptimizerError(`${kind}: epsilon must be a finite number ≥ 0, got ${this.epsilon}.`);
    if (!(this.weightDecay >= 0 && Number.isFinite(this.weightDecay)))
      throw new OptimizerError(`${kind}: weightDecay must be a finite number ≥ 0, got ${this.weightDecay}.`);
    if (this.implementation !== 'auto' && this.implementation !== 'ops')
      throw new OptimizerError(`${kind}: implementation must be 'auto' or 'ops', got '${this.implementation}'.`);
  }

  get step(): number {
    return this.count;
  }

  /** Hyper-parameters that define the update (stored in the state and compared on load). */
  protected abstract hyperParameters(): Record<string, unknown>;

  /** The update's scalars for parameter `name` at update `t` (1 for the first) and rate `lr`. */
  protected abstract rule(name: string, t: number, lr: number): AdamUpdateRule;

  /** Checks the user's name rules against the parameter names (throws when one matches nothing). */
  protected checkNames(_names: string[]): void {}

  /** Called with each parameter's [‖w‖, ‖u‖, ratio] when the update computed them (LAMB). */
  protected onNorms(_name: string, _norms: tf.Tensor1D): void {}

  applyGradients(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr: number): void {
    if (typeof lr !== 'number' || !(lr >= 0) || !Number.isFinite(lr)) {
      throw new OptimizerError(
        `${this.kind}: the learning rate must be a finite number ≥ 0 (0 is ALBERT's schedule at step 0), got ${lr}.`,
      );
    }
    this.checkNames([...params.keys()]);
    this.checkInputs(params, grads);
    if (this.unchecked) this.checkLoaded(params);
    const t = this.count + 1;
    for (const [name, grad] of grads) {
      const param = params.get(name) as tf.Variable;
      const old = this.moments.get(name) ?? { m: tf.zerosLike(param), v: tf.zerosLike(param) };
      const out = adamUpdate(param, grad, old.m, old.v, this.rule(name, t, lr), this.implementation);
      param.assign(out.param);
      out.param.dispose();
      tf.dispose([old.m, old.v]);
      this.moments.set(name, { m: out.m, v: out.v });
      if (out.norms != null) {
        this.onNorms(name, out.norms);
        out.norms.dispose();
      }
    }
    this.count = t;
  }

  getState(): OptimizerState {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, { m, v }] of this.moments) {
      tensors.set(`${name}/m`, m.clone());
      tensors.set(`${name}/v`, v.clone());
    }
    return { step: this.count, config: this.config(), tensors };
  }

  setState(state: OptimizerState): void {
    const kind = this.kind;
    if (state == null || typeof state !== 'object' || !(state.tensors instanceof Map))
      throw new OptimizerStateError(`${kind}.setState: expected { step, config, tensors: Map }, got ${typeof state}.`);
    if (!Number.isSafeInteger(state.step) || state.step < 0)
      throw new OptimizerStateError(
        `${kind}.setState: step must be an integer ≥ 0, got ${state.step}: the state is corrupt.`,
      );
    this.checkConfig(state.config);
    const pairs = new Map<string, Partial<Moments>>();
    for (const [key, t] of state.tensors) {
      const slash = key.lastIndexOf('/');
      const slot = key.slice(slash + 1);
      if (slash <= 0 || (slot !== 'm' && slot !== 'v'))
        throw new OptimizerStateError(
          `${kind}.setState: tensor '${key}' is not '<parameter>/m' or '<parameter>/v': this is not a ${kind} state.`,
        );
      if (!(t instanceof tf.Tensor) || t.isDisposed || t.dtype !== 'float32')
        throw new OptimizerStateError(`${kind}.setState: '${key}' must be a live float32 tensor.`);
      const name = key.slice(0, slash);
      const pair = pairs.get(name) ?? {};
      pair[slot] = t;
      pairs.set(name, pair);
    }
    for (const [name, { m, v }] of pairs) {
      if (m == null || v == null)
        throw new OptimizerStateError(
          `${kind}.setState: '${name}' has only one of its moments (/m, /v): the state is corrupt.`,
        );
      if (!tf.util.arraysEqual(m.shape, v.shape))
        throw new OptimizerStateError(
          `${kind}.setState: '${name}/m' [${m.shape}] and '${name}/v' [${v.shape}] differ in shape: the state is corrupt.`,
        );
      const bad = tf.tidy(() =>
        tf.logicalOr(tf.any(tf.logicalNot(tf.isFinite(m))), tf.any(tf.logicalNot(tf.isFinite(v)))),
      );
      const negative = tf.tidy(() => tf.any(tf.less(v, 0)));
      const [isBad, isNegative] = [bad.dataSync()[0], negative.dataSync()[0]];
      tf.dispose([bad, negative]);
      if (isBad || isNegative)
        throw new OptimizerStateError(
          `${kind}.setState: the moments of '${name}' hold ${isBad ? 'NaN or infinite values' : 'negative second moments'}: the state is corrupt.`,
        );
    }
    this.disposeMoments();
    for (const [name, { m, v }] of pairs)
      this.moments.set(name, { m: (m as tf.Tensor).clone(), v: (v as tf.Tensor).clone() });
    this.count = state.step;
    this.unchecked = true;
  }

  dispose(): void {
    this.disposeMoments();
  }

  private config(): Record<string, unknown> {
    return { optimizer: this.kind, ...this.hyperParameters() };
  }

  private checkConfig(config: Record<string, unknown>): void {
    const ours = this.config();
    if (config == null || typeof config !== 'object')
      throw new OptimizerStateError(`${this.kind}.setState: the state has no config: it is corrupt.`);
    const keys = new Set([...Object.keys(ours), ...Object.keys(config)]);
    const differ = [...keys].filter((k) => JSON.stringify(ours[k]) !== JSON.stringify(config[k]));
    if (differ.length === 0) return;
    const show = (c: Record<string, unknown>) => differ.map((k) => `${k}=${JSON.stringify(c[k])}`).join(', ');
    throw new OptimizerStateError(
      `${this.kind}.setState: the state was saved by another optimizer configuration (${show(config)}; ` +
        `this one has ${show(ours)}). Create the optimizer with the options it was saved with.`,
    );
  }

  private checkInputs(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>): void {
    for (const [name, grad] of grads) {
      const param = params.get(name);
      if (param == null)
        throw new OptimizerError(
          `${this.kind}: gradient '${name}' has no parameter of that name among the ${params.size} given.`,
        );
      if (param.dtype !== 'float32' || grad.dtype !== 'float32')
        throw new OptimizerError(
          `${this.kind}: '${name}' must be float32 (parameter ${param.dtype}, gradient ${grad.dtype}).`,
        );
      if (!tf.util.arraysEqual(param.shape, grad.shape))
        throw new OptimizerError(
          `${this.kind}: the gradient of '${name}' has shape [${grad.shape}], the parameter [${param.shape}].`,
        );
    }
  }

  private checkLoaded(params: Map<string, tf.Variable>): void {
    for (const [name, { m }] of this.moments) {
      const param = params.get(name);
      if (param == null)
        throw new OptimizerStateError(
          `${this.kind}: the loaded state has moments for '${name}', which is not one of the ${params.size} parameters: ` +
            'the state belongs to another model.',
        );
      if (!tf.util.arraysEqual(param.shape, m.shape))
        throw new OptimizerStateError(
          `${this.kind}: the loaded moments of '${name}' are [${m.shape}], the parameter is [${param.shape}]: ` +
            'the state belongs to another model.',
        );
    }
    this.unchecked = false;
  }

  private disposeMoments(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}
