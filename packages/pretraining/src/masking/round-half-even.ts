// Python 3's round(): halves go to the even neighbour (round(4.5) == 4, round(1.5) == 2).
// `create_pretraining_data.py` sizes the masking budget with it, so we must too.
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
