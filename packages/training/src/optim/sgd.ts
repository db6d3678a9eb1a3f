// Stochastic gradient descent with optional momentum, as torch.optim.SGD (PyTorch 1.13,
// `_single_tensor_sgd`), per parameter:
//   d = g + weightDecay · p
//   buf = d                                      (first update of p)
//   buf = momentum · buf + (1 − dampening) · d   (later updates)
//   d = nesterov ? d + momentum · buf : buf      (when momentum ≠ 0)
//   p = p − lr · d
// The momentum buffer is the only state: `<param>/momentum_buffer` in getState().
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../errors.js';
import type { Optimizer, OptimizerState } from './optimizer.js';

export interface SGDOptions {
  /** Default 0 (plain SGD). */
  momentum?: number;
  /** Default 0. */
  dampening?: number;
  /** L2 penalty added to the gradient (coupled, as torch). Default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
}

const BUFFER = '/momentum_buffer';

export class SGD implements Optimizer {
  private readonly momentum: number;
  private readonly dampening: number;
  private readonly weightDecay: number;
  private readonly nesterov: boolean;
  private readonly buffers = new Map<string, tf.Tensor>();
  private steps = 0;

  constructor(options: SGDOptions = {}) {
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    for (const key of ['momentum', 'dampening', 'weightDecay'] as const) {
      const value = options[key] ?? 0;
      if (!(Number.isFinite(value) && value >= 0)) {
        throw new TrainingError(`SGD: ${key} must be a finite number >= 0 (got ${value}).`);
      }
    }
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new TrainingError(
        `SGD: nesterov needs momentum > 0 and dampening 0 (got momentum ${this.momentum}, dampening ${this.dampening}).`,
      );
    }
  }

  get step(): number {
    return this.steps;
  }

  private get config(): Record<string, unknown> {
    return {
      optimizer: 'SGD',
      momentum: this.momentum,
      dampening: this.dampening,
      weightDecay: this.weightDecay,
      nesterov: this.nesterov,
    };
  }

  applyGradients(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr: number): void {
    if (!(Number.isFinite(lr) && lr >= 0)) {
      throw new TrainingError(
        `SGD: the learning rate must be a finite number >= 0 (got ${lr} at update ${this.steps}).`,
      );
    }
    for (const name of grads.keys()) {
      if (!params.has(name)) {
        throw new TrainingError(`SGD: there is a gradient for "${name}" but no parameter of that name.`);
      }
    }
    for (const [name, g] of grads) {
      const p = params.get(name) as tf.Variable;
      const old = this.buffers.get(name);
      if (old != null && !sameShape(old.shape, p.shape)) {
        throw new TrainingError(
          `SGD: the momentum buffer of "${name}" has shape [${old.shape}] but the parameter has [${p.shape}]; the loaded optimizer state belongs to another model.`,
        );
      }
      const [next, buffer] = tf.tidy(() => {
        const d = this.weightDecay !== 0 ? tf.add(g, tf.mul(p, this.weightDecay)) : g;
        if (this.momentum === 0) return [tf.sub(p, tf.mul(d, lr)), null];
        const buf = old == null ? tf.clone(d) : tf.add(tf.mul(old, this.momentum), tf.mul(d, 1 - this.dampening));
        const step = this.nesterov ? tf.add(d, tf.mul(buf, this.momentum)) : buf;
        return [tf.sub(p, tf.mul(step, lr)), buf];
      });
      p.assign(next);
      next.dispose();
      if (buffer != null) {
        old?.dispose();
        this.buffers.set(name, buffer);
      }
    }
    this.steps++;
  }

  getState(): OptimizerState {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, buf] of this.buffers) tensors.set(`${name}${BUFFER}`, tf.clone(buf));
    return { step: this.steps, config: this.config, tensors };
  }

  setState(state: OptimizerState): void {
    const mine = this.config;
    for (const [key, value] of Object.entries(mine)) {
      if (state.config[key] !== value) {
        throw new TrainingError(
          `SGD.setState: the state was saved with ${key} = ${JSON.stringify(state.config[key])}, this optimizer has ${JSON.stringify(value)}. ` +
            'Create the optimizer with the options of the run you resume.',
        );
      }
    }
    if (!(Number.isInteger(state.step) && state.step >= 0)) {
      throw new TrainingError(`SGD.setState: step must be an integer >= 0 (got ${state.step}).`);
    }
    const buffers = new Map<string, tf.Tensor>();
    for (const [key, t] of state.tensors) {
      if (!key.endsWith(BUFFER)) {
        throw new TrainingError(`SGD.setState: unexpected state tensor "${key}" (SGD keeps only "<param>${BUFFER}").`);
      }
      buffers.set(key.slice(0, -BUFFER.length), tf.clone(t));
    }
    for (const t of this.buffers.values()) t.dispose();
    this.buffers.clear();
    for (const [name, t] of buffers) this.buffers.set(name, t);
    this.steps = state.step;
  }

  dispose(): void {
    for (const t of this.buffers.values()) t.dispose();
    this.buffers.clear();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
