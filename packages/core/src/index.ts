// @albert-ts/core: AlbertConfig, parameters, AlbertModel forward, safetensors, checkpoints.
