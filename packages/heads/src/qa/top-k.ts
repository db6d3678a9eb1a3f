// The k largest values of a row, largest first: numpy's argsort(x)[-1:-k-1:-1]. Equal values come
// in descending index order (what a stable ascending sort reversed gives; numpy's default sort is
// not stable, so Hugging Face's order for exact ties is unspecified).

export function topK(values: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    // i is larger than every index already kept, so it goes before any equal value
    if (idx.length === k && v < (values[idx[k - 1] as number] as number)) continue;
    let at = idx.length;
    while (at > 0 && v >= (values[idx[at - 1] as number] as number)) at--;
    idx.splice(at, 0, i);
    if (idx.length > k) idx.pop();
  }
  return idx;
}
