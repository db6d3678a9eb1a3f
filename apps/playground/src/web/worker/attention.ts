// Attention maps for the attention view: the encoder of the chosen model (heads left out) run once
// on the text with outputAttentions, every layer application's [heads, seq, seq] probabilities.
import * as tf from '@tensorflow/tfjs-core';
import {
  AlbertConfig,
  type AlbertModel,
  AutoTokenizer,
  inputsFromEncodings,
  loadBaseModel,
  type ModelSource,
  openModelSource,
  type Tokenizer,
} from 'albert-ts';
import { tokenRows } from '../../info/tokens.js';
import type { AttentionResult } from '../protocol.js';

interface Encoder {
  model: AlbertModel;
  tokenizer: Tokenizer;
  config: AlbertConfig;
}

let cached: { key: unknown; encoder: Promise<Encoder> } | null = null;

async function open(source: string | ModelSource): Promise<Encoder> {
  const files = typeof source === 'string' ? await openModelSource(source) : source;
  const config = AlbertConfig.fromJSONString(await files.readText('config.json'));
  const tokenizer = await AutoTokenizer.fromPretrained(files);
  const model = await loadBaseModel(files, { warn: () => {} }, config);
  return { model, tokenizer, config };
}

/** The encoder for `key` (the model choice), loaded once. */
export function encoderFor(key: unknown, source: () => Promise<string | ModelSource>): Promise<Encoder> {
  if (cached?.key !== key) {
    const previous = cached?.encoder;
    previous?.then((e) => e.model.dispose()).catch(() => {});
    const encoder = source().then(open);
    cached = { key, encoder };
    encoder.catch(() => {
      if (cached?.encoder === encoder) cached = null;
    });
  }
  return (cached as { encoder: Promise<Encoder> }).encoder;
}

export function forgetEncoder(): void {
  cached?.encoder.then((e) => e.model.dispose()).catch(() => {});
  cached = null;
}

export function attentionMaps({ model, tokenizer, config }: Encoder, text: string): AttentionResult {
  const tokens = tokenRows(tokenizer, text).slice(0, config.maxPositionEmbeddings);
  const enc = tokenizer.encode(text);
  const seq = Math.min(enc.inputIds.length, config.maxPositionEmbeddings);
  const data = tf.tidy(() => {
    const inputs = inputsFromEncodings({
      inputIds: enc.inputIds.subarray(0, seq),
      attentionMask: enc.attentionMask.subarray(0, seq),
      tokenTypeIds: enc.tokenTypeIds.subarray(0, seq),
    });
    const out = model.forward(inputs, { outputAttentions: true, training: false });
    const maps = out.attentions ?? [];
    return tf.concat(maps.map((m) => tf.squeeze(m, [0]))).dataSync() as Float32Array; // [apps*heads, seq, seq]
  });
  return {
    tokens,
    data: new Float32Array(data),
    applications: config.numHiddenLayers * config.innerGroupNum,
    heads: config.numAttentionHeads,
    seq,
    config: {
      numHiddenLayers: config.numHiddenLayers,
      numHiddenGroups: config.numHiddenGroups,
      innerGroupNum: config.innerGroupNum,
      numAttentionHeads: config.numAttentionHeads,
      hiddenSize: config.hiddenSize,
      embeddingSize: config.embeddingSize,
    },
  };
}
