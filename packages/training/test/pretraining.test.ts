// A tiny ALBERT pretrains with MLM + SOP on a Gutenberg slice (fixtures/gutenberg-train-slice.txt)
// with a SentencePiece tokenizer trained on it (fixtures/gutenberg-1k.model), through PretrainingCorpus (resumable), and its
// held-out masked-LM loss falls from ln(vocab) (uniform predictions) to clearly below it.
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import { AlbertConfig } from '@albert-ts/core';
import {
  AlbertForPreTraining,
  albertLineTokenizer,
  batchToTensors,
  type PretrainingBatch,
  PretrainingCorpus,
} from '@albert-ts/pretraining';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { albertSchedule, Lamb, Trainer } from '../src/index.js';

const TEXT = fileURLToPath(new URL('./fixtures/gutenberg-train-slice.txt', import.meta.url));
const MODEL = fileURLToPath(new URL('./fixtures/gutenberg-1k.model', import.meta.url)); // trained on TEXT
const VOCAB = 1000;
const STEPS = Number(process.env.PRETRAIN_TEST_STEPS ?? 200);

describe('pretraining a tiny ALBERT (MLM + SOP)', () => {
  it(`brings the held-out MLM loss clearly below ln(${VOCAB}) within ${STEPS} updates`, async () => {
    const report = await initBackend();
    const tokenizer = await AlbertTokenizer.fromFile(MODEL);
    expect(tokenizer.vocabSize).toBe(VOCAB);
    const ids = (t: string) => tokenizer.convertTokensToIds([t])[0] as number;
    const corpusOptions = (seed: number) => ({
      files: [TEXT],
      tokenize: albertLineTokenizer(tokenizer),
      seed,
      batchSize: 16,
      maxSeqLength: 64,
      clsId: ids('[CLS]'),
      sepId: ids('[SEP]'),
      maskTokenId: ids('[MASK]'),
      padId: ids('<pad>'),
      vocabSize: VOCAB,
      shuffleBufferSize: 200,
      epochs: 1000,
    });
    const config = AlbertConfig.fromJSON({
      vocab_size: VOCAB,
      embedding_size: 64,
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      intermediate_size: 256,
      max_position_embeddings: 64,
      hidden_act: 'gelu_new',
      hidden_dropout_prob: 0,
      attention_probs_dropout_prob: 0,
    });
    const model = new AlbertForPreTraining(config, { seed: 1 });

    // Held-out: 4 batches with other masks and pairs (corpus seed 99).
    const heldOut: PretrainingBatch[] = [];
    for await (const batch of new PretrainingCorpus(corpusOptions(99)).batches()) {
      heldOut.push(batch);
      if (heldOut.length === 4) break;
    }
    const mlmLoss = (m: AlbertForPreTraining) =>
      heldOut.reduce((sum, batch) => {
        const t = batchToTensors(batch);
        const loss = tf.tidy(() => m.forward(t, { mlmPositions: 'masked' }).mlmLoss?.dataSync()[0] as number);
        tf.dispose(Object.values(t));
        return sum + loss / heldOut.length;
      }, 0);

    const initial = mlmLoss(model);
    const optimizer = new Lamb({ weightDecay: 0.01 });
    const trainer = new Trainer({
      model,
      optimizer,
      learningRate: albertSchedule({ peak: 0.01, warmupSteps: 30, totalSteps: STEPS }),
      data: (state) => new PretrainingCorpus(corpusOptions(1), state),
      toInputs: batchToTensors,
      forwardOptions: { mlmPositions: 'masked' },
      maxSteps: STEPS,
      evaluation: { every: 50, evaluate: (m) => ({ mlm: mlmLoss(m) }) },
    });
    const curve: string[] = [];
    trainer.on('evaluate', (e) => curve.push(`${e.step}:${e.metrics.mlm?.toFixed(3)}`));
    const result = await trainer.train();
    const final = result.evaluations.at(-1)?.metrics.mlm as number;
    console.log(
      `pretraining on ${report.backend}: held-out MLM loss ${initial.toFixed(3)} → ${curve.join(' ')} (ln V = ${Math.log(VOCAB).toFixed(3)})`,
    );
    expect(Math.abs(initial - Math.log(VOCAB))).toBeLessThan(0.2);
    expect(final).toBeLessThan(Math.log(VOCAB) - 1.0);
    model.dispose();
    optimizer.dispose();
  }, 600_000);
});
