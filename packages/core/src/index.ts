// @albert-ts/core: AlbertConfig, parameters, AlbertModel forward, safetensors, checkpoints.
export * from './safetensors/index.js';
export * from './hub/index.js';
