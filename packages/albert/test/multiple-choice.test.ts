// multiple-choice on HF's tiny-mc checkpoint (AlbertForMultipleChoice, random weights), every Node
// backend. Reference: the head's logits for each question's choices on their own, unpadded.
import { AlbertForMultipleChoice } from '@albert-ts/heads';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MultipleChoicePipeline, PipelineError, pipeline } from '../src/index.js';
import { nodeBackends, noLeak, softmax, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';

const BACKENDS = await nodeBackends();
const QUESTIONS = [
  {
    prompt: 'Alice followed the White Rabbit. Where did it go?',
    choices: ['down a hole', 'up a tree', 'into the sea'],
  },
  { prompt: 'Who ruled?', choices: ['the Queen of Hearts', 'a cat', 'nobody at all, as it turned out'] },
  { prompt: 'Was it hot?', choices: ['yes', 'no'] },
];

describe.each(BACKENDS)('multiple-choice on %s', (backend) => {
  useBackend(backend);
  let choose: MultipleChoicePipeline;
  let head: AlbertForMultipleChoice;
  let tok: AlbertTokenizer;
  beforeAll(async () => {
    choose = await pipeline('multiple-choice', fixture('tiny-mc'), { batchSize: 1 });
    head = await AlbertForMultipleChoice.fromPretrained(fixture('tiny-mc'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-mc')}/spiece.model`);
  });
  afterAll(() => {
    choose.dispose();
    head.dispose();
  });

  /** The head's logits for one question, its choices padded to their own longest. */
  function logits(prompt: string, choices: string[]): number[] {
    const encs = tok.encodeBatch(
      choices.map((c) => [prompt, c] as const),
      { padding: 'longest' },
    );
    const s = encs[0]?.inputIds.length as number;
    const flat = (k: 'inputIds' | 'attentionMask' | 'tokenTypeIds') => Int32Array.from(encs.flatMap((e) => [...e[k]]));
    return tf.tidy(() =>
      Array.from(
        head
          .forward({
            inputIds: tf.tensor3d(flat('inputIds'), [1, choices.length, s], 'int32'),
            attentionMask: tf.tensor3d(flat('attentionMask'), [1, choices.length, s], 'int32'),
            tokenTypeIds: tf.tensor3d(flat('tokenTypeIds'), [1, choices.length, s], 'int32'),
          })
          .logits.dataSync(),
      ),
    );
  }

  it('softmax over the choices (sums to 1), the best choice; questions with different choice counts', async () => {
    const out = await noLeak(() => choose(QUESTIONS));
    QUESTIONS.forEach(({ prompt, choices }, i) => {
      const probs = softmax(logits(prompt, choices));
      const r = out[i];
      expect(r?.scores).toHaveLength(choices.length);
      for (const [c, s] of (r?.scores ?? []).entries()) expect(s).toBeCloseTo(probs[c] as number, 5);
      expect(r?.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(r?.index).toBe(probs.indexOf(Math.max(...probs)));
      expect(r?.answer).toBe(choices[r?.index as number]);
    });
  });

  it('fewer than two choices is a clear error', async () => {
    const err = await choose({ prompt: 'Who?', choices: ['Alice'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as Error).message).toMatch(/choices must be an array of at least two strings/);
  });
});
