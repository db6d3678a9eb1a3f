// token-classification end to end on every Node backend: every aggregation strategy's groups against
// the aggregation done here, by HF's documented rules (TokenClassificationPipeline), on the model's own
// per-token logits from plain forward passes of the windows; and a text longer than the model, whose
// tokens in later windows keep those windows' logits and the offsets of the text itself.
// The model: tiny-ner (O, B-PER, I-PER, B-LOC, I-LOC) whose random classifier says O nearly
// everywhere (p ≈ 0.5), which would leave one O group per text and no grouping to check. So its
// classifier is sharpened and centred (logits' = SHARPEN·(logits − each label's mean over the texts),
// a change of classifier.weight and classifier.bias only), saved as a model folder, and loaded by the
// pipeline from there: every label wins somewhere, B- and I- tags alternate.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertForTokenClassification } from '@albert-ts/heads';
import { AlbertTokenizer, type Encoding } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroupedEntity, pipeline, type TokenClassificationPipeline, type TokenEntity } from '../src/index.js';
import { nodeBackends, noLeak, softmax, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';
import { forwardOne } from './helpers/reference.js';

const BACKENDS = await nodeBackends();
const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
const WINDOW = 64; // tiny-ner's max_position_embeddings
const STRIDE = 16;
const SHARPEN = 12;
const TEXT = 'Alice followed the White Rabbit down to Wonderland, where the Queen of Hearts ruled.';
const SHORT = 'The Duchess sneezed; mock-turtle soup, tarts and hedgehogs (said the Gryphon).';
const LONG =
  'So she was considering in her own mind, as well as she could, for the hot day made her feel very sleepy and stupid, ' +
  'whether the pleasure of making a daisy-chain would be worth the trouble of getting up and picking the daisies, ' +
  'when suddenly a White Rabbit with pink eyes ran close by her. There was nothing so very remarkable in that.';

/** One token of the text with the probabilities the model gives it. */
interface RefToken {
  piece: string;
  probs: number[]; // [labels]
  start: number; // after the space a leading ▁ stands for
  end: number;
  /** HF's rule for tokenizers without a subword prefix: no space at [start - 1, start + 1) */
  subword: boolean;
  window: number;
}

/** A token or a word with its label, before grouping. */
interface Unit {
  label: string;
  score: number;
  start: number;
  end: number;
}

type Strategy = 'simple' | 'first' | 'average' | 'max';

const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
const labelled = (probs: number[], start: number, end: number): Unit => ({
  label: LABELS[argmax(probs)] as string,
  score: Math.max(...probs),
  start,
  end,
});

/** Words of tokens: a token that is not a subword starts a new word. */
function words(tokens: RefToken[]): RefToken[][] {
  const out: RefToken[][] = [];
  for (const t of tokens) {
    if (t.subword && out.length > 0) out.at(-1)?.push(t);
    else out.push([t]);
  }
  return out;
}

function units(tokens: RefToken[], strategy: Strategy): Unit[] {
  if (strategy === 'simple') return tokens.map((t) => labelled(t.probs, t.start, t.end));
  return words(tokens).map((w) => {
    const first = w[0] as RefToken;
    const last = w.at(-1) as RefToken;
    if (strategy === 'first') return labelled(first.probs, first.start, last.end);
    if (strategy === 'max') {
      // the token whose best probability is highest (the first of equals)
      const top = w.reduce((a, b) => (Math.max(...b.probs) > Math.max(...a.probs) ? b : a));
      return labelled(top.probs, first.start, last.end);
    }
    const mean = LABELS.map((_, l) => w.reduce((s, t) => s + (t.probs[l] as number), 0) / w.length);
    return labelled(mean, first.start, last.end);
  });
}

/** HF group_entities: a unit joins the group before it when its type is the same and it is not a B-. */
function groups(text: string, us: Unit[]): GroupedEntity[] {
  const type = (label: string) => label.replace(/^[BI]-/, '');
  const runs: Unit[][] = [];
  for (const u of us) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && type(u.label) === type(last.label) && !u.label.startsWith('B-')) run.push(u);
    else runs.push([u]);
  }
  return runs.map((run) => {
    const start = (run[0] as Unit).start;
    const end = (run.at(-1) as Unit).end;
    const score = run.reduce((s, u) => s + u.score, 0) / run.length;
    return { entityGroup: type((run[0] as Unit).label), score, word: text.slice(start, end), start, end };
  });
}

describe.each(BACKENDS)('token-classification strategies on %s', (backend) => {
  useBackend(backend);
  let ner: TokenClassificationPipeline;
  let head: AlbertForTokenClassification;
  let tok: AlbertTokenizer;
  let folder: string;
  beforeAll(async () => {
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-ner')}/spiece.model`);
    head = await AlbertForTokenClassification.fromPretrained(fixture('tiny-ner'), { warn: () => {} });
    // each label's mean logit over the tokens of the texts (LONG: its first window)
    const encs = [tok.encode(TEXT), tok.encode(SHORT), tok.encode(LONG, null, { maxLength: WINDOW, truncation: true })];
    const rows = encs.flatMap((e) => {
      const logits = forwardOne(head, e, ['logits'])[0] as number[];
      return [...e.sequenceIds].flatMap((s, p) => (s === 0 ? [logits.slice(p * 5, p * 5 + 5)] : []));
    });
    const mean = LABELS.map((_, l) => rows.reduce((sum, r) => sum + (r[l] as number), 0) / rows.length);
    const params = head.namedParameters();
    const weight = params.get('classifier.weight') as tf.Variable;
    const bias = params.get('classifier.bias') as tf.Variable;
    tf.tidy(() => {
      weight.assign(tf.mul(weight, SHARPEN));
      bias.assign(tf.mul(tf.sub(bias, tf.tensor1d(mean)), SHARPEN));
    });
    folder = mkdtempSync(join(tmpdir(), 'albert-ts-ner-'));
    await head.savePretrained(folder);
    for (const f of ['spiece.model', 'tokenizer_config.json'])
      copyFileSync(join(fixture('tiny-ner'), f), join(folder, f));
    ner = await pipeline('token-classification', folder, { batchSize: 2 });
  });
  afterAll(() => {
    ner.dispose();
    head.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  /**
   * The text's tokens with their probabilities: one forward pass per window of WINDOW tokens sharing
   * STRIDE; a token takes the window where it has the most tokens on both sides (the first of equals).
   */
  function reference(text: string): RefToken[] {
    const full = tok.encode(text);
    const pieces = tok.convertIdsToTokens(full.inputIds);
    const split = tok.encode(text, null, {
      maxLength: WINDOW,
      truncation: true,
      stride: STRIDE,
      returnOverflowingTokens: true,
    });
    const ws: Encoding[] = full.inputIds.length <= WINDOW ? [full] : [split, ...split.overflow];
    // per window: its logits and where its text tokens start in the full text's tokens
    const textTokens = (e: Encoding) => [...e.sequenceIds].flatMap((s, p) => (s === 0 ? [p] : []));
    const fullText = textTokens(full);
    const perWindow = ws.map((w) => {
      const positions = textTokens(w);
      const from = fullText.findIndex((p) => full.offsets[2 * p] === w.offsets[2 * (positions[0] as number)]);
      return { logits: forwardOne(head, w, ['logits'])[0] as number[], positions, from };
    });
    return fullText.map((p, j) => {
      let window = -1;
      let most = -1;
      perWindow.forEach(({ positions, from }, k) => {
        const i = j - from;
        if (i < 0 || i >= positions.length) return;
        const context = Math.min(i, positions.length - 1 - i);
        if (context > most) [window, most] = [k, context];
      });
      const { logits, positions, from } = perWindow[window] as (typeof perWindow)[number];
      const q = positions[j - from] as number;
      const raw = full.offsets[2 * p] as number;
      let start = raw;
      const end = full.offsets[2 * p + 1] as number;
      while (start < end && text[start] === ' ') start++;
      return {
        piece: pieces[p] as string,
        probs: softmax(logits.slice(q * LABELS.length, (q + 1) * LABELS.length)),
        start,
        end,
        subword: raw > 0 && !text.slice(raw - 1, raw + 1).includes(' '),
        window,
      };
    });
  }

  it.each(['simple', 'first', 'average', 'max'] as const)(
    "'%s': groups, words, offsets and scores as HF's rules give them from the model's logits",
    async (aggregationStrategy) => {
      const texts = [TEXT, SHORT, LONG];
      const got = (await noLeak(() => ner(texts, { aggregationStrategy, ignoreLabels: [] }))) as GroupedEntity[][];
      for (const [i, text] of texts.entries()) {
        const want = groups(text, units(reference(text), aggregationStrategy));
        const out = got[i] as GroupedEntity[];
        expect(out.map(({ score, ...g }) => g)).toEqual(want.map(({ score, ...g }) => g));
        out.forEach((g, k) => {
          expect(g.score).toBeCloseTo((want[k] as GroupedEntity).score, 5);
        });
      }
      // ignoreLabels (default ['O']) only drops the O groups
      const withoutO = (await ner(texts, { aggregationStrategy })) as GroupedEntity[][];
      expect(withoutO).toEqual((got as GroupedEntity[][]).map((g) => g.filter((e) => e.entityGroup !== 'O')));
    },
  );

  it('the texts exercise the rules: every label, B- splits, multi-token words, strategies that disagree', () => {
    const texts = [TEXT, SHORT, LONG];
    const refs = texts.map((t) => reference(t));
    const tokenLabels = refs.flatMap((r) => units(r, 'simple').map((u) => u.label));
    expect(new Set(tokenLabels)).toEqual(new Set(LABELS));
    // a B- right after a unit of its type starts a new group; some group holds several units
    expect(tokenLabels.some((l, i) => l === 'B-PER' && /PER$/.test(tokenLabels[i - 1] ?? ''))).toBe(true);
    expect(refs.some((r, i) => groups(texts[i] as string, units(r, 'simple')).length < r.length)).toBe(true);
    expect(refs.some((r) => words(r).some((w) => w.length > 2))).toBe(true);
    const labels = (s: Strategy) => refs.map((r) => units(r, s).map((u) => u.label));
    expect(labels('first')).not.toEqual(labels('average'));
    expect(labels('first')).not.toEqual(labels('max'));
    expect(labels('average')).not.toEqual(labels('max'));
  });

  it('a text longer than the model: tokens of later windows keep their own offsets and their window’s logits', async () => {
    const ref = reference(LONG);
    // two windows of 62 text tokens sharing STRIDE: the second one's tokens are the test
    expect(ref.filter((t) => t.window === 1).length).toBeGreaterThan(STRIDE);
    const out = (await noLeak(() => ner(LONG, { ignoreLabels: [], stride: STRIDE }))) as TokenEntity[];
    expect(out).toHaveLength(ref.length);
    out.forEach((e, j) => {
      const t = ref[j] as RefToken;
      expect([e.start, e.end]).toEqual([t.start, t.end]);
      // the offsets slice the text to the token's own piece (the tokenizer lower-cases)
      expect(LONG.slice(e.start, e.end).toLowerCase()).toBe(t.piece.replace(/^▁/, ''));
      expect(e.word).toBe(LONG.slice(e.start, e.end));
      expect(e.entity).toBe(LABELS[argmax(t.probs)]);
      expect(e.score).toBeCloseTo(Math.max(...t.probs), 5);
    });
    expect(out.at(-1)?.end).toBe(LONG.length);
  });
});
