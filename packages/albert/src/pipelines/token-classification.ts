// token-classification (NER): a label per token, aggregated into entities as Hugging Face's
// TokenClassificationPipeline does (see ner-aggregation.ts), with character start/end into the input
// and `word` the input's own text there. A text longer than the model runs in overlapping windows
// (`stride` tokens shared); each token keeps the prediction of the window where it has the most
// context on both sides (the SQuAD "max context" rule).
import type { ModelSource } from '@albert-ts/core';
import type { AlbertForTokenClassification } from '@albert-ts/heads';
import type { Encoding } from '@albert-ts/tokenizer';
import { AutoModelForTokenClassification } from '../auto/auto-model.js';
import { PipelineError } from '../errors.js';
import { tokensToString } from '../tokenizer/vocab.js';
import { runRows } from './batches.js';
import { makePipeline, type Pipeline } from './callable.js';
import { describe, oneOf, positiveInt, textList } from './inputs.js';
import { openForTask, type PipelineOptions } from './load.js';
import {
  AGGREGATION_STRATEGIES,
  type AggregationStrategy,
  aggregate,
  dropIgnored,
  type GroupedEntity,
  type PreEntity,
  type TokenEntity,
} from './ner-aggregation.js';
import { softmax } from './scores.js';

export interface TokenClassificationPipelineOptions {
  /** 'none' (default, one entry per token), 'simple', 'first', 'average' or 'max' (HF's strategies). */
  aggregationStrategy?: AggregationStrategy;
  /** Labels left out of the result (default ['O']). */
  ignoreLabels?: string[];
  /** Tokens shared by consecutive windows of a text longer than the model (default a quarter of the window). */
  stride?: number;
}

export type TokenClassificationResult = TokenEntity[] | GroupedEntity[];

export type TokenClassificationPipeline = Pipeline<
  string,
  TokenClassificationResult,
  TokenClassificationPipelineOptions
>;

const TASK = 'token-classification';
const SPACE = /\s/u;

/** The windows of one text: the encoding itself, or its overflow windows when it is too long. */
function windows(enc: Encoding): Encoding[] {
  return [enc, ...enc.overflow];
}

/** Per token of the text (by its first character), the window row and position with the most context. */
function bestPositions(ws: Encoding[]): Map<number, [window: number, position: number]> {
  const best = new Map<number, [number, number, number]>();
  ws.forEach((w, k) => {
    const text: number[] = [];
    for (let p = 0; p < w.inputIds.length; p++) if (w.sequenceIds[p] === 0) text.push(p);
    text.forEach((p, i) => {
      const key = (w.offsets[2 * p] as number) * 65536 + (w.offsets[2 * p + 1] as number);
      const context = Math.min(i, text.length - 1 - i);
      const seen = best.get(key);
      if (seen === undefined || context > seen[2]) best.set(key, [k, p, context]);
    });
  });
  return new Map([...best].map(([key, [k, p]]) => [key, [k, p]]));
}

export async function tokenClassificationPipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions & TokenClassificationPipelineOptions,
): Promise<TokenClassificationPipeline> {
  const opened = await openForTask(TASK, model, options, ['AlbertForTokenClassification']);
  const { batchSize } = opened;
  const tagger: AlbertForTokenClassification = await AutoModelForTokenClassification.fromPretrained(opened.source, {
    warn: opened.warn,
    dtype: opened.dtype,
  });
  const tok = opened.tokenizer;
  const config = tagger.config;
  const id2label = config.id2label ?? {};
  const numLabels = config.numLabels;

  const run = async (
    texts: string[],
    call: TokenClassificationPipelineOptions,
  ): Promise<TokenClassificationResult[]> => {
    const strategy = oneOf(
      call.aggregationStrategy ?? options.aggregationStrategy,
      AGGREGATION_STRATEGIES,
      'aggregationStrategy',
      TASK,
      'none',
    );
    const ignore = call.ignoreLabels ?? options.ignoreLabels ?? ['O'];
    if (!Array.isArray(ignore))
      throw new PipelineError(
        'bad-option',
        `${TASK}: ignoreLabels must be an array of labels, got ${describe(ignore)}`,
      );
    const maxLength = opened.maxLength;
    const stride = positiveInt(call.stride ?? options.stride, 'stride', TASK, Math.floor(maxLength / 4));
    if (stride >= maxLength - 2) {
      throw new PipelineError(
        'bad-option',
        `${TASK}: stride (${stride}) must be smaller than the window (${maxLength - 2} text tokens)`,
      );
    }
    const perText = texts.map((t) => {
      const full = tok.encode(t);
      return full.inputIds.length <= maxLength
        ? [full]
        : windows(tok.encode(t, null, { maxLength, truncation: true, stride, returnOverflowingTokens: true }));
    });
    const flat = perText.flat();
    const rows = await runRows(flat, batchSize, tok.padId, (x) => [tagger.forward(x).logits]);
    let next = 0;
    return texts.map((text, t) => {
      const ws = perText[t] as Encoding[];
      const wsRows = ws.map(() => rows[next++]?.rows[0] as Float32Array);
      const pre: PreEntity[] = [];
      const full = ws.length === 1 ? (ws[0] as Encoding) : tok.encode(text);
      const chosen = bestPositions(ws);
      for (let index = 0; index < full.inputIds.length; index++) {
        if (full.sequenceIds[index] !== 0) continue;
        let start = full.offsets[2 * index] as number;
        const end = full.offsets[2 * index + 1] as number;
        const [k, p] = chosen.get(start * 65536 + end) ?? [0, index];
        const scores = softmax((wsRows[k] as Float32Array).subarray(p * numLabels, (p + 1) * numLabels));
        // HF's subword rule for tokenizers without word boundaries: no space just before or at the start
        const isSubword = start > 0 && !SPACE.test(text[start - 1] as string) && !SPACE.test(text[start] as string);
        while (start < end && SPACE.test(text[start] as string)) start++; // the space a ▁ stands for
        pre.push({ word: text.slice(start, end), scores, start, end, index, isSubword });
      }
      const entities = aggregate(pre, strategy, id2label, (words) => tokensToString(tok, words));
      for (const e of entities) e.word = text.slice(e.start, e.end);
      return dropIgnored<TokenEntity | GroupedEntity>(entities, ignore) as TokenClassificationResult;
    });
  };
  return makePipeline(
    TASK,
    opened,
    (input) => textList(input, TASK),
    run,
    () => tagger.dispose(),
  );
}
