// Pearson and Spearman correlation as SciPy 1.10 computes them (scipy.stats.pearsonr, spearmanr),
// the STS-B metrics. Degenerate inputs as SciPy:
//   pearson: fewer than 2 points or NaN/inf values throw (SciPy raises ValueError); a constant vector
//            gives NaN; two points give ±1 (the signs of the two differences);
//   spearman: fewer than 2 points, a constant vector or a NaN gives NaN.
// Ties are ranked as scipy.stats.rankdata(method='average') ranks them: the mean of their positions.

import { TaskInputError } from '../data/errors.js';

function checkLengths(x: ArrayLike<number>, y: ArrayLike<number>, what: string): void {
  if (x.length !== y.length) throw new TaskInputError(`${what}: x has ${x.length} values, y has ${y.length}`);
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** Pearson's r (scipy.stats.pearsonr(x, y).statistic). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(x, y, 'pearson');
  const n = x.length;
  if (n < 2) throw new TaskInputError(`pearson: x and y must have length at least 2, got ${n}`);
  for (const v of [x, y]) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i])) throw new TaskInputError(`pearson: the values must be finite, got ${v[i]} at ${i}`);
    }
  }
  if (isConstant(x) || isConstant(y)) return Number.NaN; // SciPy warns ConstantInputWarning
  if (n === 2) {
    return Math.sign((x[1] as number) - (x[0] as number)) * Math.sign((y[1] as number) - (y[0] as number));
  }
  const mx = mean(x);
  const my = mean(y);
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < n; i++) {
    nx += ((x[i] as number) - mx) ** 2;
    ny += ((y[i] as number) - my) ** 2;
  }
  nx = Math.sqrt(nx);
  ny = Math.sqrt(ny);
  let r = 0;
  for (let i = 0; i < n; i++) r += (((x[i] as number) - mx) / nx) * (((y[i] as number) - my) / ny);
  return Math.max(Math.min(r, 1), -1);
}

/** Ranks 1..n, ties given the mean of their positions (scipy.stats.rankdata, method 'average'); all NaN if one is. */
export function rankData(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(x[i])) return new Float64Array(n).fill(Number.NaN); // SciPy propagates NaN
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[order[j + 1] as number] === x[order[i] as number]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = r;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rho (scipy.stats.spearmanr(x, y).statistic): Pearson's r of the ranks, as np.corrcoef. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(x, y, 'spearman');
  const n = x.length;
  if (n < 2) return Number.NaN;
  for (const v of [x, y]) for (let i = 0; i < n; i++) if (Number.isNaN(v[i])) return Number.NaN;
  if (isConstant(x) || isConstant(y)) return Number.NaN; // SciPy warns ConstantInputWarning
  const rx = rankData(x);
  const ry = rankData(y);
  // np.corrcoef: covariance matrix, then divided by the standard deviations one after the other
  const mx = mean(rx);
  const my = mean(ry);
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < n; i++) {
    const a = (rx[i] as number) - mx;
    const b = (ry[i] as number) - my;
    cxy += a * b;
    cxx += a * a;
    cyy += b * b;
  }
  const r = cxy / (n - 1) / Math.sqrt(cxx / (n - 1)) / Math.sqrt(cyy / (n - 1));
  return Math.max(Math.min(r, 1), -1);
}
