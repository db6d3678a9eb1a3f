// Parameter-name rules, as google-research/albert's optimizers apply them: a list of regular
// expressions searched anywhere in the name (Python's re.search, case-sensitive). Names are
// Hugging Face tensor names ('albert.embeddings.LayerNorm.weight'), so ALBERT's default
// exclusions ['LayerNorm', 'layer_norm', 'bias'] pick every layer norm and bias.
import { OptimizerError } from './errors.js';

/** A rule: a regular expression, or a string read as one (as ALBERT's Python lists are). */
export type NamePattern = string | RegExp;

/** ALBERT's exclusions from weight decay and layer adaptation (optimization.py). */
export const ALBERT_EXCLUDE_FROM_WEIGHT_DECAY: readonly string[] = ['LayerNorm', 'layer_norm', 'bias'];

export class NameRule {
  private readonly regexps: RegExp[];
  private checked = false;

  /**
   * @param what what the rule decides, for messages ('excludeFromWeightDecay')
   * @param owner the optimizer, for messages ('Lamb')
   * @param mustMatch the user gave the patterns: together they must match some parameter name
   *   (a typo would otherwise silently change training); defaults are not checked
   */
  constructor(
    readonly what: string,
    private readonly owner: string,
    readonly patterns: readonly NamePattern[],
    private readonly mustMatch: boolean,
  ) {
    this.regexps = patterns.map((p) => {
      if (p instanceof RegExp) return new RegExp(p.source, p.flags.replace(/[gy]/g, ''));
      try {
        return new RegExp(p);
      } catch (err) {
        throw new OptimizerError(`${owner}: ${what} pattern '${p}' is not a valid regular expression.`, { cause: err });
      }
    });
  }

  /** True when some pattern is found in `name` (re.search). */
  matches(name: string): boolean {
    return this.regexps.some((r) => r.test(name));
  }

  /**
   * Throws when a user-given rule matches none of `names` (checked once, on the first update).
   * The rule as a whole must match: ALBERT's own list has 'LayerNorm' and 'layer_norm' for two
   * naming conventions, and a model uses one of them.
   */
  check(names: Iterable<string>): void {
    if (this.checked || !this.mustMatch || this.regexps.length === 0) return;
    const list = [...names];
    if (!list.some((n) => this.matches(n))) {
      const shown = this.toJSON().map((p) => `'${p}'`);
      const examples = list.slice(0, 3).map((n) => `'${n}'`);
      throw new OptimizerError(
        `${this.owner}: ${this.what} [${shown.join(', ')}] matches none of the ${list.length} parameter names ` +
          `(e.g. ${examples.join(', ')}${list.length > 3 ? ', …' : ''}). Names are Hugging Face tensor names and ` +
          'patterns are case-sensitive regular expressions searched anywhere in a name: fix or remove the rule.',
      );
    }
    this.checked = true;
  }

  /** The patterns as strings, for the state's config. */
  toJSON(): string[] {
    return this.patterns.map((p) => (p instanceof RegExp ? p.toString() : p));
  }
}
