// The AdamW of older Hugging Face transformers releases (transformers.AdamW, deprecated and
// removed in favour of torch.optim.AdamW). It differs from torch's in two places: ε is added to
// √v before the bias correction is folded into the step, and the decay follows the step:
//   w ← w − lr·√(1 − β2^t)/(1 − β1^t) · m / (√v + ε);  w ← w − lr·wd·w
// Use it to reproduce a run made with that class; otherwise prefer AdamW.
import { AdamFamilyOptimizer, type AdamFamilyOptions } from './adam-family.js';
import type { AdamUpdateRule } from './adam-update.js';
import { type NamePattern, NameRule } from './name-rules.js';

export type HfLegacyAdamWOptions = AdamFamilyOptions & {
  /** Bias correction (transformers' correct_bias, default true). */
  correctBias?: boolean;
  /** Parameters without weight decay, by name pattern. Default none. */
  excludeFromWeightDecay?: NamePattern[];
};

export class HfLegacyAdamW extends AdamFamilyOptimizer {
  readonly correctBias: boolean;
  private readonly noDecay: NameRule;

  constructor(options: HfLegacyAdamWOptions = {}) {
    super('HfLegacyAdamW', options);
    this.correctBias = options.correctBias ?? true;
    const patterns = options.excludeFromWeightDecay ?? [];
    this.noDecay = new NameRule('excludeFromWeightDecay', this.kind, patterns, options.excludeFromWeightDecay != null);
  }

  protected override checkNames(names: string[]): void {
    this.noDecay.check(names);
  }

  protected override hyperParameters(): Record<string, unknown> {
    const { beta1, beta2, epsilon, weightDecay, correctBias } = this;
    return { beta1, beta2, epsilon, weightDecay, correctBias, excludeFromWeightDecay: this.noDecay.toJSON() };
  }

  protected override rule(name: string, t: number, lr: number): AdamUpdateRule {
    const wd = this.noDecay.matches(name) ? 0 : this.weightDecay;
    const correction = this.correctBias ? Math.sqrt(1 - this.beta2 ** t) / (1 - this.beta1 ** t) : 1;
    return {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      vScale: 1,
      decayInUpdate: 0,
      preScale: 1,
      stepSize: lr * correction,
      postScale: 1 - lr * wd,
      layerAdaptation: false,
    };
  }
}
