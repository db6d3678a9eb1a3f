// What every feature builder produces per row, and what the model's forward takes (as tensors).
export type TokenInputs = {
  inputIds: Int32Array; // [length]
  tokenTypeIds: Int32Array; // [length]
  attentionMask: Int32Array; // [length]
};
