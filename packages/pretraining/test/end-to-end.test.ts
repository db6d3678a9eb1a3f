// Text → batches → AlbertForPreTraining loss and gradients, with a small randomly initialised model
// over the real 30 000-piece vocabulary.
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import { AlbertConfig } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AlbertForPreTraining, batchToTensors, type PretrainingBatch, PretrainingCorpus } from '../src/index.js';
import { ALBERT, fixtureTokenizer, SLICE_TEXT } from './gutenberg-fixture.js';

describe('corpus batch → AlbertForPreTraining', () => {
  it('gives a finite loss near ln(V) + ln(2) at init and gradients for every variable, without leaking', async () => {
    // wasm: tfjs-backend-cpu's UnsortedSegmentSum (the word-embedding gradient in core) takes ~50 s for a
    // 30 000-row table, see README.
    await initBackend({ prefer: 'wasm' });
    const corpus = new PretrainingCorpus({
      files: [fileURLToPath(SLICE_TEXT)],
      tokenize: fixtureTokenizer(),
      seed: 3,
      batchSize: 4,
      maxSeqLength: 64,
      clsId: ALBERT.cls,
      sepId: ALBERT.sep,
      maskTokenId: ALBERT.mask,
      padId: ALBERT.pad,
      vocabSize: ALBERT.vocabSize,
    });
    const batch = (await corpus.batches().next()).value as PretrainingBatch;
    const config = AlbertConfig.fromJSON({
      vocab_size: ALBERT.vocabSize,
      embedding_size: 16,
      hidden_size: 32,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 48,
      max_position_embeddings: 64,
      hidden_act: 'gelu_new',
      initializer_range: 0.02,
    });
    const model = new AlbertForPreTraining(config, { seed: 1 });
    const t = batchToTensors(batch);
    const before = tf.memory().numTensors;
    for (let rep = 0; rep < 2; rep++) {
      const { value, grads } = tf.variableGrads(
        () =>
          model.forward(
            { inputIds: t.inputIds, attentionMask: t.attentionMask, tokenTypeIds: t.tokenTypeIds },
            { labels: t.labels, sentenceOrderLabel: t.sentenceOrderLabel, mlmPositions: 'masked' },
          ).loss as tf.Scalar,
      );
      const loss = value.dataSync()[0] as number;
      // Near-uniform predictions at init: MLM ≈ ln(30000) = 10.31, SOP ≈ ln(2) = 0.69.
      expect(Math.abs(loss - (Math.log(30000) + Math.log(2)))).toBeLessThan(0.5);
      expect(Object.keys(grads).length).toBe(model.trainableVariables.length);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);

    // Training mode: dropout (hidden and classifier) changes the loss; the same seed repeats it.
    const lossOf = (options: { training?: boolean; seed?: number }) =>
      tf.tidy(
        () =>
          model
            .forward(
              { inputIds: t.inputIds, attentionMask: t.attentionMask, tokenTypeIds: t.tokenTypeIds },
              { labels: t.labels, sentenceOrderLabel: t.sentenceOrderLabel, ...options },
            )
            .loss?.dataSync()[0],
      );
    const evalLoss = lossOf({});
    const a = lossOf({ training: true, seed: 11 });
    expect(a).not.toBe(evalLoss);
    expect(lossOf({ training: true, seed: 11 })).toBe(a);
    expect(lossOf({ training: true, seed: 12 })).not.toBe(a);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(t);
    model.dispose();
  });
});
