// The digamma function ψ(x) = d/dx ln Γ(x), used by the Bayesian ("DP-ified") M-step of the unigram
// trainer (Kudo 2018, following Liang's variational EM tutorial): a piece's new log-probability is
// ψ(expected count) − ψ(sum of expected counts), which acts as a sparse prior.
//
// Standard evaluation: shift x up with the recurrence ψ(x) = ψ(x + 1) − 1/x until x ≥ 7, then use
// the asymptotic series in (x − ½): ln t + 1/(24t²) − 7/(960t⁴) + 31/(8064t⁶) − 127/(30720t⁸).

export function digamma(x: number): number {
  let result = 0;
  for (; x < 7; x += 1) result -= 1 / x;
  const t = x - 0.5;
  const inv2 = 1 / (t * t);
  const inv4 = inv2 * inv2;
  return result + Math.log(t) + inv2 / 24 - (7 / 960) * inv4 + (31 / 8064) * inv4 * inv2 - (127 / 30720) * inv4 * inv4;
}
