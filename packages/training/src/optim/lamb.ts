// LAMB (You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
// 2020) exactly as google-research/albert's lamb_optimizer.py, with which ALBERT was pretrained
// (batch 4096, lr 0.00176):
//   u = m / (√v + ε)  (+ wd·w unless the name matches excludeFromWeightDecay)    no bias correction
//   r = ‖w‖/‖u‖, or 1 when either norm is 0 or the name matches excludeFromLayerAdaptation
//   w ← w − r · lr · u
// Norms are over the whole tensor. When excludeFromLayerAdaptation is not given (or empty), it
// falls back to excludeFromWeightDecay, as the original constructor does.
import type * as tf from '@tensorflow/tfjs-core';
import { AdamFamilyOptimizer, type AdamFamilyOptions } from './adam-family.js';
import type { AdamUpdateRule } from './adam-update.js';
import { ALBERT_EXCLUDE_FROM_WEIGHT_DECAY, type NamePattern, NameRule } from './name-rules.js';

export type LambOptions = AdamFamilyOptions & {
  /** Parameters without weight decay (default ALBERT's ['LayerNorm', 'layer_norm', 'bias']). */
  excludeFromWeightDecay?: NamePattern[];
  /** Parameters without the trust ratio (default: excludeFromWeightDecay). */
  excludeFromLayerAdaptation?: NamePattern[];
  /** Record each update's norms and trust ratios in `lastTrace` (reads them back: slower). */
  trace?: boolean;
};

/** What LAMB did to one parameter in the last update (norms only where layer adaptation applied). */
export type LambTrace = {
  weightDecay: boolean;
  layerAdaptation: boolean;
  wNorm: number | null;
  updateNorm: number | null;
  ratio: number;
};

export class Lamb extends AdamFamilyOptimizer {
  private readonly noDecay: NameRule;
  private readonly noAdaptation: NameRule;
  private readonly tracing: boolean;
  /** With `trace: true`, the last update's decisions, norms and ratio per parameter. */
  readonly lastTrace = new Map<string, LambTrace>();

  constructor(options: LambOptions = {}) {
    super('Lamb', options);
    const decay = options.excludeFromWeightDecay ?? ALBERT_EXCLUDE_FROM_WEIGHT_DECAY;
    this.noDecay = new NameRule('excludeFromWeightDecay', this.kind, decay, options.excludeFromWeightDecay != null);
    const given = options.excludeFromLayerAdaptation;
    const adaptation = given != null && given.length > 0 ? given : decay;
    this.noAdaptation = new NameRule(
      'excludeFromLayerAdaptation',
      this.kind,
      adaptation,
      given != null && given.length > 0,
    );
    this.tracing = options.trace ?? false;
  }

  /** Whether `name` gets weight decay (lamb_optimizer.py's _do_use_weight_decay). */
  usesWeightDecay(name: string): boolean {
    return this.weightDecay !== 0 && !this.noDecay.matches(name);
  }

  /** Whether `name` gets the trust ratio (lamb_optimizer.py's _do_layer_adaptation). */
  usesLayerAdaptation(name: string): boolean {
    return !this.noAdaptation.matches(name);
  }

  protected override checkNames(names: string[]): void {
    this.noDecay.check(names);
    this.noAdaptation.check(names);
  }

  protected override hyperParameters(): Record<string, unknown> {
    const { beta1, beta2, epsilon, weightDecay } = this;
    return {
      beta1,
      beta2,
      epsilon,
      weightDecay,
      excludeFromWeightDecay: this.noDecay.toJSON(),
      excludeFromLayerAdaptation: this.noAdaptation.toJSON(),
    };
  }

  protected override rule(name: string, _t: number, lr: number): AdamUpdateRule {
    const weightDecay = this.usesWeightDecay(name);
    const layerAdaptation = this.usesLayerAdaptation(name);
    if (this.tracing && !layerAdaptation)
      this.lastTrace.set(name, { weightDecay, layerAdaptation, wNorm: null, updateNorm: null, ratio: 1 });
    return {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      vScale: 1,
      decayInUpdate: weightDecay ? this.weightDecay : 0,
      preScale: 1,
      stepSize: lr,
      postScale: 1,
      layerAdaptation,
    };
  }

  protected override onNorms(name: string, norms: tf.Tensor1D): void {
    if (!this.tracing) return;
    const [wNorm, updateNorm, ratio] = norms.dataSync();
    this.lastTrace.set(name, {
      weightDecay: this.usesWeightDecay(name),
      layerAdaptation: true,
      wNorm: wNorm as number,
      updateNorm: updateNorm as number,
      ratio: ratio as number,
    });
  }
}
