// Inputs longer than the model (the fixtures' 64 tokens) on every Node backend: truncated with exactly
// one warning line per call naming the caller's inputs (not the pairs a task builds from them), and
// results equal to the head's own forward pass on the tokenizer's truncated encoding. Pairs keep their
// second part where the task says so (zero-shot: the hypothesis; multiple-choice: the choice).
import { AlbertForMultipleChoice, AlbertForSequenceClassification } from '@albert-ts/heads';
import { AlbertForMaskedLM } from '@albert-ts/pretraining';
import { AlbertTokenizer, type Encoding } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type FillMaskCandidate, PipelineError, pipeline } from '../src/index.js';
import { nodeBackends, noLeak, softmax, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';
import { forwardOne } from './helpers/reference.js';

const BACKENDS = await nodeBackends();
const MAX = 64;
const LONG =
  'Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: ' +
  'once or twice she had peeped into the book her sister was reading, but it had no pictures or conversations ' +
  'in it, and what is the use of a book, thought Alice, without pictures or conversations?';
const tok = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`); // every fixture's spiece.model

/** The one warning line a call must give: inputs [index, tokens], as encode.ts words it. */
function warning(task: string, long: [number, number][]): string {
  const shown = long.map(([i, n]) => `[${i}] ${n} tokens`).join(', ');
  const what = long.length === 1 ? 'an input is' : `${long.length} inputs are`;
  return `[albert-ts] ${task}: ${what} longer than the model's ${MAX} tokens (${shown}); truncated to ${MAX}.`;
}

/** A pipeline option collecting the warning lines. */
function collect(): { warnings: string[]; warn: (m: string) => void } {
  const warnings: string[] = [];
  return { warnings, warn: (m) => warnings.push(m) };
}

async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipelineError);
  return err as PipelineError;
}

describe.each(BACKENDS)('truncation on %s', (backend) => {
  useBackend(backend);

  it('LONG is longer than the model', () => {
    expect(tok.encode(LONG).inputIds.length).toBeGreaterThan(MAX + 10);
  });

  it('text-classification: one warning for a text and a pair; scores of the truncated encodings', async () => {
    const { warnings, warn } = collect();
    const classify = await pipeline('text-classification', fixture('tiny-seqcls'), { warn, topK: null });
    const head = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-seqcls'), { warn: () => {} });
    const pair = { text: LONG, textPair: 'Down, down, down.' };
    const out = await noLeak(() => classify([LONG, 'Short.', pair]));
    expect(warnings).toEqual([
      warning('text-classification', [
        [0, tok.encode(LONG).inputIds.length],
        [2, tok.encode(LONG, pair.textPair).inputIds.length],
      ]),
    ]);
    const encodings = [
      tok.encode(LONG, null, { maxLength: MAX }),
      tok.encode('Short.'),
      tok.encode(LONG, pair.textPair, { maxLength: MAX, truncation: 'longest_first' }),
    ];
    expect(encodings.map((e) => e.inputIds.length)).toEqual([MAX, 4, MAX]);
    encodings.forEach((enc, i) => {
      const probs = softmax(forwardOne(head, enc, ['logits'])[0] as number[]);
      expect(out[i]).toHaveLength(3);
      for (const { label, score } of out[i] ?? [])
        expect(score).toBeCloseTo(probs[Number(label.slice(6))] as number, 5);
    });
    classify.dispose();
    head.dispose();
  });

  it('fill-mask: a [MASK] that survives truncation is filled; one cut off is a clear error', async () => {
    const { warnings, warn } = collect();
    const fill = await pipeline('fill-mask', fixture('tiny-pretraining'), { warn });
    const mlm = await AlbertForMaskedLM.fromPretrained(fixture('tiny-pretraining'), { warn: () => {} });
    const text = `The [MASK] said: ${LONG}`;
    const out = (await noLeak(() => fill(text, { topK: 3 }))) as FillMaskCandidate[];
    expect(warnings).toEqual([warning('fill-mask', [[0, tok.encode(text).inputIds.length]])]);
    const ids = tok.encode(text, null, { maxLength: MAX }).inputIds; // [64]
    const at = ids.indexOf(tok.maskId);
    const logits = tf.tidy(() =>
      Array.from(
        tf
          .slice(mlm.forward({ inputIds: tf.tensor2d(ids, [1, MAX], 'int32') }).logits, [0, at, 0], [1, 1, -1])
          .dataSync(),
      ),
    );
    const probs = softmax(logits);
    const best = probs
      .map((p, id) => [p, id] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 3);
    expect(out.map((c) => c.token)).toEqual(best.map(([, id]) => id));
    for (const [k, c] of out.entries()) expect(c.score).toBeCloseTo(best[k]?.[0] as number, 5);

    warnings.length = 0;
    const late = `${LONG} The [MASK] said.`;
    const err = await noLeak(() => failure(fill(['a [MASK] here', late])));
    expect(err.code).toBe('bad-input');
    expect(err.message).toBe(
      "fill-mask: the [MASK] of input [1] is past the model's 64 tokens and was cut off by the truncation; shorten the text or put [MASK] nearer its start",
    );
    expect(warnings).toEqual([warning('fill-mask', [[1, tok.encode(late).inputIds.length]])]);
    fill.dispose();
    mlm.dispose();
  });

  it('zero-shot: the text is cut, the hypothesis kept; one warning naming the text, not its pairs', async () => {
    const { warnings, warn } = collect();
    const zeroShot = await pipeline('zero-shot-classification', fixture('tiny-nli'), { warn });
    const head = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-nli'), { warn: () => {} });
    const labels = ['a rabbit', 'the queen of hearts', 'a garden'];
    const hypothesis = (l: string) => `This example is ${l}.`;
    const out = await noLeak(() => zeroShot(['Short.', LONG], { candidateLabels: labels }));
    const longest = Math.max(...labels.map((l) => tok.encode(LONG, hypothesis(l)).inputIds.length));
    expect(warnings).toEqual([warning('zero-shot-classification', [[1, longest]])]);
    // tiny-nli: entailment is column 2
    const entailment = labels.map((l) => {
      const enc = tok.encode(LONG, hypothesis(l), { maxLength: MAX, truncation: 'only_first' });
      const kept = tok.encodeSequence(hypothesis(l)).ids;
      expect(enc.inputIds.length).toBe(MAX);
      expect([...enc.inputIds.slice(MAX - 1 - kept.length, MAX - 1)]).toEqual([...kept]);
      return (forwardOne(head, enc, ['logits'])[0] as number[])[2] as number;
    });
    const probs = softmax(entailment);
    for (const [k, l] of (out[1]?.labels ?? []).entries()) {
      expect(out[1]?.scores[k]).toBeCloseTo(probs[labels.indexOf(l)] as number, 5);
    }
    expect(out[0]?.labels).toHaveLength(3);

    warnings.length = 0;
    const err = await noLeak(() => failure(zeroShot('Short.', { candidateLabels: ['a rabbit', LONG] })));
    expect(err.code).toBe('bad-option');
    expect(err.message).toMatch(
      /^zero-shot-classification: the hypothesis "This example is Alice was beginning to g…" is \d+ tokens, more than the 60 the model's 64 tokens leave beside the text; shorten the candidate label or the hypothesisTemplate$/,
    );
    expect(warnings).toEqual([]);
    zeroShot.dispose();
    head.dispose();
  });

  it('multiple-choice: the prompt is cut, the choices kept; one warning naming the question', async () => {
    const { warnings, warn } = collect();
    const choose = await pipeline('multiple-choice', fixture('tiny-mc'), { warn });
    const head = await AlbertForMultipleChoice.fromPretrained(fixture('tiny-mc'), { warn: () => {} });
    const questions = [
      { prompt: 'Was it hot?', choices: ['yes', 'no'] },
      { prompt: `${LONG} What did Alice want?`, choices: ['pictures', 'conversations', 'a nap'] },
    ];
    const out = await noLeak(() => choose(questions));
    const { prompt, choices } = questions[1] as (typeof questions)[1];
    const longest = Math.max(...choices.map((c) => tok.encode(prompt, c).inputIds.length));
    expect(warnings).toEqual([warning('multiple-choice', [[1, longest]])]);
    // the head's logits for the truncated pairs, padded to their own longest: [1, choices, s]
    const encs: Encoding[] = tok.encodeBatch(
      choices.map((c) => [prompt, c] as const),
      { maxLength: MAX, truncation: 'only_first', padding: 'longest' },
    );
    const s = encs[0]?.inputIds.length as number;
    expect(s).toBe(MAX);
    const flat = (k: 'inputIds' | 'attentionMask' | 'tokenTypeIds') => Int32Array.from(encs.flatMap((e) => [...e[k]]));
    const logits = tf.tidy(() => {
      const shape: [number, number, number] = [1, choices.length, s];
      const x = {
        inputIds: tf.tensor3d(flat('inputIds'), shape, 'int32'),
        attentionMask: tf.tensor3d(flat('attentionMask'), shape, 'int32'),
        tokenTypeIds: tf.tensor3d(flat('tokenTypeIds'), shape, 'int32'),
      };
      return Array.from(head.forward(x).logits.dataSync());
    });
    const probs = softmax(logits);
    for (const [c, p] of probs.entries()) expect(out[1]?.scores[c]).toBeCloseTo(p, 5);
    expect(out[1]?.index).toBe(probs.indexOf(Math.max(...probs)));
    expect(out[0]?.scores).toHaveLength(2);

    warnings.length = 0;
    const err = await noLeak(() => failure(choose({ prompt: 'Which?', choices: ['a', LONG] })));
    expect(err.code).toBe('bad-input');
    expect(err.message).toMatch(
      /^multiple-choice: input \[0\]\.choices\[1\] is \d+ tokens, more than the 60 the model's 64 tokens leave beside the prompt; shorten the choice \(only the prompt is truncated\)$/,
    );
    expect(warnings).toEqual([]);
    choose.dispose();
    head.dispose();
  });
});
