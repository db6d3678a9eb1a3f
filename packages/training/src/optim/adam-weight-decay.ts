// ALBERT's (and BERT's) own fine-tuning optimizer, AdamWeightDecayOptimizer of
// google-research/albert optimization.py: no bias correction, and the weight decay is added to
// the update rather than applied to the weights:
//   w ← w − lr · (m / (√v + ε) + wd·w)        (wd = 0 for names matching excludeFromWeightDecay)
import { AdamFamilyOptimizer, type AdamFamilyOptions } from './adam-family.js';
import type { AdamUpdateRule } from './adam-update.js';
import { ALBERT_EXCLUDE_FROM_WEIGHT_DECAY, type NamePattern, NameRule } from './name-rules.js';

export type AdamWeightDecayOptions = AdamFamilyOptions & {
  /** Parameters without weight decay (default ALBERT's ['LayerNorm', 'layer_norm', 'bias']). */
  excludeFromWeightDecay?: NamePattern[];
};

export class AdamWeightDecay extends AdamFamilyOptimizer {
  private readonly noDecay: NameRule;

  constructor(options: AdamWeightDecayOptions = {}) {
    super('AdamWeightDecay', options);
    const patterns = options.excludeFromWeightDecay ?? ALBERT_EXCLUDE_FROM_WEIGHT_DECAY;
    this.noDecay = new NameRule('excludeFromWeightDecay', this.kind, patterns, options.excludeFromWeightDecay != null);
  }

  protected override checkNames(names: string[]): void {
    this.noDecay.check(names);
  }

  protected override hyperParameters(): Record<string, unknown> {
    const { beta1, beta2, epsilon, weightDecay } = this;
    return { beta1, beta2, epsilon, weightDecay, excludeFromWeightDecay: this.noDecay.toJSON() };
  }

  /** Whether `name` gets weight decay (ALBERT's _do_use_weight_decay). */
  usesWeightDecay(name: string): boolean {
    return this.weightDecay !== 0 && !this.noDecay.matches(name);
  }

  protected override rule(name: string, _t: number, lr: number): AdamUpdateRule {
    return {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      vScale: 1,
      decayInUpdate: this.usesWeightDecay(name) ? this.weightDecay : 0,
      preScale: 1,
      stepSize: lr,
      postScale: 1,
      layerAdaptation: false,
    };
  }
}
