// Tokens in a batch, for tokens/s: the non-zero entries of its attentionMask when it has one as a
// typed array or number array, else the length of its inputIds, else 0. Pass `countTokens` to the
// Trainer for other batch shapes.
export function defaultCountTokens(batch: unknown): number {
  if (batch == null || typeof batch !== 'object') return 0;
  const { attentionMask, inputIds } = batch as { attentionMask?: unknown; inputIds?: unknown };
  if (isArrayLike(attentionMask)) {
    let n = 0;
    for (let i = 0; i < attentionMask.length; i++) if (attentionMask[i] !== 0) n++;
    return n;
  }
  if (isArrayLike(inputIds)) return inputIds.length;
  const size = (inputIds as { size?: unknown } | null)?.size; // a tf.Tensor
  if (typeof size === 'number') return size;
  return 0;
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) || Array.isArray(x);
}
