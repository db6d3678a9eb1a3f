// The embedded default model (@albert-ts/default-model, made by `pnpm make-default-model`; see
// models/MODEL_CARD.md) through the pipelines, as a user meets it: fill-mask on held-out Gutenberg
// text, sentiment on the SST-2 dev set, entities on the WNUT-17 dev set, and every shipped folder
// checked against Hugging Face's naming. References: the original words of the text, SST-2's gold
// labels, WNUT-17's gold entities, and the tensor names and shapes of Hugging Face transformers' own
// checkpoints of the same classes (test/fixtures/tiny-*).
import { readFileSync } from 'node:fs';
import { SeededRandom } from '@albert-ts/common';
import { parseHeader } from '@albert-ts/core';
import { DEFAULT_MODELS, defaultModel } from '@albert-ts/default-model';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type FillMaskCandidate, type GroupedEntity, pipeline } from '../src/index.js';
import { nodeBackends, useBackend } from './helpers/backends.js';
import { FIXTURES, fixture } from './helpers/fixtures.js';

const AVAILABLE = await nodeBackends();
const BACKEND = AVAILABLE.includes('native') ? 'native' : AVAILABLE.includes('wasm') ? 'wasm' : 'cpu'; // the fastest here
const DATA = `${FIXTURES}default-model/`;
const SEED = 2026;
const WORDS = 200;
const NER_F1_FLOOR = 0.1; // models/MODEL_CARD.md: the shipped head measures entity F1 13.6% here; a floor under it, not a goal

type MaskedWord = { text: string; word: string };

/**
 * `WORDS` words drawn uniformly from the paragraphs of valid.txt with a fixed seed: a paragraph, then a
 * word in it; a word is kept when it is alphabetic and the vocabulary holds it as one piece (one
 * [MASK] stands for one piece). The context is the paragraph, cut to 40 words on each side.
 */
function drawMaskedWords(tok: AlbertTokenizer): { draws: MaskedWord[]; tried: number } {
  const paragraphs = readFileSync(`${DATA}gutenberg-valid.txt`, 'utf8')
    .split('\n')
    .map((l) => l.split(' ').filter((w) => w !== ''))
    .filter((words) => words.length >= 8);
  const rng = new SeededRandom(SEED, 'default-model fill-mask');
  const draws: MaskedWord[] = [];
  let tried = 0;
  while (draws.length < WORDS) {
    const words = paragraphs[rng.int(0, paragraphs.length - 1)] as string[];
    const at = rng.int(0, words.length - 1);
    const m = /^([^A-Za-z]*)([A-Za-z]+)([^A-Za-z]*)$/.exec(words[at] as string);
    tried++;
    if (m == null) continue; // digits, hyphenated or apostrophised words
    const word = (m[2] as string).toLowerCase();
    if (tok.tokenize(word).length !== 1) continue;
    const context = words.slice(Math.max(0, at - 40), at + 41);
    context[Math.min(at, 40)] = `${m[1]}[MASK]${m[3]}`;
    draws.push({ text: context.join(' '), word });
  }
  return { draws, tried };
}

describe(`the default model on ${BACKEND}`, () => {
  useBackend(BACKEND);

  it('is installed for the tasks it covers, and not for zero-shot or multiple choice', async () => {
    for (const task of [
      'fill-mask',
      'feature-extraction',
      'sentence-similarity',
      'text-classification',
      'token-classification',
    ]) {
      expect(await defaultModel(task), task).toMatch(/models\/albert-gutenberg-small/);
    }
    expect(await defaultModel('multiple-choice')).toBeUndefined();
    expect(await defaultModel('zero-shot-classification')).toBeUndefined();
  });

  describe('fill-mask on held-out Gutenberg text', () => {
    let top5 = 0;

    it(`answers ${WORDS} masked words with 5 candidates each, leaving no tensor behind`, async () => {
      const tok = await AlbertTokenizer.fromFile(`${await defaultModel('fill-mask')}/spiece.model`);
      const { draws, tried } = drawMaskedWords(tok);
      const unmasker = await pipeline('fill-mask', undefined, { batchSize: 16 });
      const before = tf.memory().numTensors;
      const out = (await unmasker(
        draws.map((d) => d.text),
        { topK: 5 },
      )) as FillMaskCandidate[][];
      expect(tf.memory().numTensors).toBe(before);
      unmasker.dispose();
      let top1 = 0;
      draws.forEach((d, i) => {
        const guesses = (out[i] as FillMaskCandidate[]).map((c) => c.tokenStr.trim().toLowerCase());
        expect(guesses).toHaveLength(5);
        if (guesses[0] === d.word) top1++;
        if (guesses.includes(d.word)) top5++;
      });
      console.log(
        `default model fill-mask: top-1 ${top1}/${WORDS}, top-5 ${top5}/${WORDS} ` +
          `(${WORDS} one-piece words out of ${tried} drawn)`,
      );
    });

    // The goal of issue 17. The shipped model (run 3 of models/MODEL_CARD.md) measures 83/200 = 41.5%;
    // the two runs before it ended near 7-10% (14/200, 20/200).
    it(`puts the original word in the top 5 for at least 40% of ${WORDS} masked words`, () => {
      expect(top5 / WORDS).toBeGreaterThanOrEqual(0.4);
    });
  });

  it('classifies the SST-2 dev set with at least 80% accuracy', async () => {
    const rows = readFileSync(`${DATA}sst2-dev.tsv`, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => l.split('\t') as [string, string]);
    expect(rows).toHaveLength(872);
    const classify = await pipeline('text-classification', undefined, { batchSize: 32 });
    const out = (await classify(rows.map(([s]) => s))) as { label: string; score: number }[][];
    classify.dispose();
    let correct = 0;
    rows.forEach(([, gold], i) => {
      const label = (out[i] as { label: string }[])[0]?.label;
      expect(['negative', 'positive']).toContain(label);
      if ((label === 'positive' ? '1' : '0') === gold) correct++;
    });
    console.log(`default model SST-2 dev accuracy: ${correct}/872 = ${((100 * correct) / 872).toFixed(2)}%`);
    expect(correct / 872).toBeGreaterThanOrEqual(0.8);
  });

  it('tags WNUT-17 dev entities at offsets that slice the input, scored against the gold entities', async () => {
    // CoNLL: "token<TAB>IOB2 tag" per line, a blank line between sentences; the text is the tokens
    // joined by spaces, and each gold entity is its character span with its type.
    const sentences = readFileSync(`${DATA}wnut17-dev.conll`, 'utf8')
      .split(/\n\s*\n/)
      .map((block) =>
        block
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => l.split('\t') as [string, string]),
      )
      .filter((rows) => rows.length > 0);
    expect(sentences).toHaveLength(1009);
    const texts: string[] = [];
    const gold = new Set<string>();
    sentences.forEach((rows, i) => {
      let at = 0;
      let open: { start: number; end: number; type: string } | null = null;
      const close = () => {
        if (open) gold.add(`${i}:${open.start}:${open.end}:${open.type}`);
        open = null;
      };
      for (const [token, tag] of rows) {
        const start = at;
        at += token.length + 1;
        if (tag.startsWith('B-') || (tag.startsWith('I-') && open?.type !== tag.slice(2))) {
          close();
          open = { start, end: start + token.length, type: tag.slice(2) };
        } else if (tag.startsWith('I-') && open) open.end = start + token.length;
        else close();
      }
      close();
      texts.push(rows.map(([token]) => token).join(' '));
    });
    expect(gold.size).toBe(836); // the file's B- tags (`grep -c` on it; it has no I- tag that opens an entity)

    const ner = await pipeline('token-classification', undefined, { batchSize: 32 });
    const before = tf.memory().numTensors;
    const out = (await ner(texts, { aggregationStrategy: 'first' })) as GroupedEntity[][];
    expect(tf.memory().numTensors).toBe(before);
    ner.dispose();
    const types = ['person', 'location', 'group', 'creative-work', 'corporation', 'product'];
    let predicted = 0;
    let correct = 0;
    out.forEach((entities, i) => {
      for (const e of entities) {
        expect(types).toContain(e.entityGroup);
        expect(texts[i]?.slice(e.start, e.end)).toBe(e.word);
        predicted++;
        if (gold.has(`${i}:${e.start}:${e.end}:${e.entityGroup}`)) correct++;
      }
    });
    const precision = correct / Math.max(predicted, 1);
    const recall = correct / gold.size;
    const f1 = (2 * precision * recall) / Math.max(precision + recall, 1e-12);
    console.log(
      `default model WNUT-17 dev entities: ${correct} right of ${predicted} predicted, ${gold.size} gold; ` +
        `precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}%, F1 ${(100 * f1).toFixed(1)}%`,
    );
    // The issue sets no NER goal ("report even poor scores honestly"). The floor is a regression
    // guard under the card's measured F1: the head must find some entities right, not tag nothing.
    expect(f1).toBeGreaterThanOrEqual(NER_F1_FLOOR);
  });
});

// Hugging Face's checkpoints of each class (test/fixtures, written by transformers' save_pretrained)
const HF_FIXTURE: Record<string, Parameters<typeof fixture>[0]> = {
  AlbertForPreTraining: 'tiny-pretraining',
  AlbertForSequenceClassification: 'tiny-seqcls',
  AlbertForTokenClassification: 'tiny-tokcls',
  AlbertForQuestionAnswering: 'tiny-qa',
};

// The config field each dimension of the fixtures stands for (their sizes are all distinct).
const DIMENSION_FIELDS = [
  'vocab_size',
  'embedding_size',
  'hidden_size',
  'intermediate_size',
  'max_position_embeddings',
  'type_vocab_size',
] as const;

type Header = Record<string, { dtype: string; shape: number[] }>;
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
function header(folder: string): Header {
  const { entries } = parseHeader(new Uint8Array(readFileSync(`${folder}/model.safetensors`)));
  return Object.fromEntries(entries.map((e) => [e.name, { dtype: e.dtype, shape: e.shape }]));
}

describe('every shipped folder is what Hugging Face expects', () => {
  const shipped = DEFAULT_MODELS.filter((m) => m.tasks.some((t) => ['fill-mask', 'text-classification'].includes(t)));
  for (const entry of DEFAULT_MODELS) {
    it(`${entry.folder} (${entry.architecture})`, async () => {
      const folder = await defaultModel(entry.tasks[0] as string);
      if (folder === undefined) {
        // fill-mask and sentiment are required; NER and QA ship when the card says they were trained
        expect(shipped).not.toContain(entry);
        return;
      }
      const config = json(`${folder}/config.json`);
      const reference = json(`${fixture(HF_FIXTURE[entry.architecture] as never)}/config.json`);
      expect(config.architectures).toEqual([entry.architecture]);
      expect(config.model_type).toBe('albert');
      for (const key of Object.keys(reference)) if (key !== 'torch_dtype') expect(config, key).toHaveProperty(key);
      const labels = Object.keys((config.id2label as object | undefined) ?? {}).length;
      const refLabels = Object.keys((reference.id2label as object | undefined) ?? {}).length;
      // each dimension of the reference mapped to the same field of our config
      const dims = new Map<number, number>(DIMENSION_FIELDS.map((f) => [reference[f] as number, config[f] as number]));
      if (entry.architecture !== 'AlbertForPreTraining' && entry.architecture !== 'AlbertForQuestionAnswering') {
        dims.set(refLabels, labels);
      }
      const ours = header(folder);
      const theirs = header(fixture(HF_FIXTURE[entry.architecture] as never));
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const [name, t] of Object.entries(theirs)) {
        expect(ours[name]?.shape, name).toEqual(t.shape.map((d) => dims.get(d) ?? d));
        expect(['F32', 'F16'], name).toContain(ours[name]?.dtype);
      }
      const tokenizerConfig = json(`${folder}/tokenizer_config.json`);
      expect(tokenizerConfig.do_lower_case).toBe(true);
      expect(readFileSync(`${folder}/spiece.model`).length).toBeGreaterThan(100_000);
    });
  }
});
