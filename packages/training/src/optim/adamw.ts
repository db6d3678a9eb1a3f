// AdamW as torch.optim.AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
// 2019): bias-corrected moments, weight decay applied to the weights before the step:
//   w ← w·(1 − lr·wd);  w ← w − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
// One parameter group decays every tensor (torch's default); excludeFromWeightDecay names the
// tensors of a second group with weight decay 0 (the usual fine-tuning recipe: bias, LayerNorm).
import { AdamFamilyOptimizer, type AdamFamilyOptions } from './adam-family.js';
import type { AdamUpdateRule } from './adam-update.js';
import { type NamePattern, NameRule } from './name-rules.js';

export type AdamWOptions = AdamFamilyOptions & {
  /** Parameters without weight decay, by name pattern (regular expressions searched in the name). Default none. */
  excludeFromWeightDecay?: NamePattern[];
};

export class AdamW extends AdamFamilyOptimizer {
  private readonly noDecay: NameRule;

  constructor(options: AdamWOptions = {}) {
    super('AdamW', options);
    const patterns = options.excludeFromWeightDecay ?? [];
    this.noDecay = new NameRule('excludeFromWeightDecay', 'AdamW', patterns, options.excludeFromWeightDecay != null);
  }

  protected override checkNames(names: string[]): void {
    this.noDecay.check(names);
  }

  protected override hyperParameters(): Record<string, unknown> {
    const { beta1, beta2, epsilon, weightDecay } = this;
    return { beta1, beta2, epsilon, weightDecay, excludeFromWeightDecay: this.noDecay.toJSON() };
  }

  protected override rule(name: string, t: number, lr: number): AdamUpdateRule {
    const wd = this.noDecay.matches(name) ? 0 : this.weightDecay;
    return {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      vScale: 1 / Math.sqrt(1 - this.beta2 ** t),
      decayInUpdate: 0,
      preScale: 1 - lr * wd,
      stepSize: lr / (1 - this.beta1 ** t),
      postScale: 1,
      layerAdaptation: false,
    };
  }
}
