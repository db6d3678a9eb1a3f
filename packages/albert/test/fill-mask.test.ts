// fill-mask on the HF tiny-pretraining checkpoint (AlbertForPreTraining, random weights), every Node
// backend. Reference: AlbertForMaskedLM's logits (HF parity tested in @albert-ts/pretraining) for the
// tokenizer's ids, softmax and top-k computed here in plain JavaScript, as HF's FillMaskPipeline does.
import { AlbertForMaskedLM } from '@albert-ts/pretraining';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FillMaskCandidate, type FillMaskPipeline, pipeline } from '../src/index.js';
import { nodeBackends, noLeak, softmax, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';

const BACKENDS = await nodeBackends();
const TEXTS = ['Alice was beginning to get very [MASK] of sitting by her sister.', 'Down, [MASK], down.'];

describe.each(BACKENDS)('fill-mask on %s', (backend) => {
  useBackend(backend);
  let unmasker: FillMaskPipeline;
  let mlm: AlbertForMaskedLM;
  let tok: AlbertTokenizer;

  /** Full-vocabulary probabilities at each [MASK] of `text`, from the model's own forward pass. */
  function probabilities(text: string): number[][] {
    const ids = tok.encode(text).inputIds;
    const logits = tf.tidy(
      () =>
        (mlm.forward({ inputIds: tf.tensor2d(ids, [1, ids.length], 'int32') }).logits.arraySync() as number[][][])[0],
    ) as number[][];
    return [...ids].flatMap((id, p) => (id === tok.maskId ? [softmax(logits[p] as number[])] : []));
  }

  beforeAll(async () => {
    unmasker = await pipeline('fill-mask', fixture('tiny-pretraining'), { batchSize: 4, warn: () => {} });
    mlm = await AlbertForMaskedLM.fromPretrained(fixture('tiny-pretraining'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-pretraining')}/spiece.model`);
  });
  afterAll(() => {
    unmasker.dispose();
    mlm.dispose();
  });

  it('the top 5 tokens by probability, with the filled-in sentence', async () => {
    const out = (await noLeak(() => unmasker(TEXTS))) as FillMaskCandidate[][];
    TEXTS.forEach((text, i) => {
      const probs = probabilities(text)[0] as number[];
      const best = probs
        .map((p, id) => [p, id] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, 5);
      const got = out[i] as FillMaskCandidate[];
      expect(got.map((c) => c.token)).toEqual(best.map(([, id]) => id));
      got.forEach((c, k) => {
        expect(c.score).toBeCloseTo(best[k]?.[0] as number, 5);
        expect(c.tokenStr).toBe(tok.decode([c.token]));
        const ids = Int32Array.from(tok.encode(text).inputIds.map((id) => (id === tok.maskId ? c.token : id)));
        expect(c.sequence).toBe(tok.decode(ids, { skipSpecialTokens: true }));
      });
      expect(got[0]?.score).toBeGreaterThanOrEqual(got[4]?.score as number);
    });
  });

  it('targets: their full-vocabulary probabilities, best first; a word outside the vocabulary uses its first token', async () => {
    const warnings: string[] = [];
    const pipe = await pipeline('fill-mask', fixture('tiny-pretraining'), { warn: (m) => warnings.push(m) });
    const out = (await noLeak(() =>
      pipe(TEXTS[0] as string, {
        targets: ['▁tired', '▁alice', 'rabbit'],
        topK: 10,
      }),
    )) as FillMaskCandidate[];
    const probs = probabilities(TEXTS[0] as string)[0] as number[];
    const rabbit = tok.encodeSequence('rabbit').ids[0] as number;
    const want = [tok.convertTokensToIds(['▁tired'])[0], tok.convertTokensToIds(['▁alice'])[0], rabbit]
      .map((id) => [probs[id as number] as number, id as number] as const)
      .sort((a, b) => b[0] - a[0]);
    expect(out.map((c) => c.token)).toEqual(want.map(([, id]) => id));
    for (const [k, c] of out.entries()) expect(c.score).toBeCloseTo(want[k]?.[0] as number, 6);
    expect(warnings.some((w) => w.includes('"rabbit" is not in the vocabulary'))).toBe(true);
    pipe.dispose();
  });

  it('several masks: one list per mask, the other masks left in the sequence', async () => {
    const text = 'The [MASK] sat on the [MASK].';
    const out = (await noLeak(() => unmasker(text, { topK: 2 }))) as FillMaskCandidate[][];
    const probs = probabilities(text);
    expect(out).toHaveLength(2);
    out.forEach((perMask, m) => {
      const row = probs[m] as number[];
      const top = row.indexOf(Math.max(...row));
      expect(perMask[0]?.token).toBe(top);
      expect(perMask[0]?.sequence).toContain('[MASK]');
      expect(perMask[0]?.sequence.startsWith('[CLS]')).toBe(true);
    });
  });
});
