// fill-mask: the most likely tokens for each [MASK] in the text, as Hugging Face's FillMaskPipeline
// computes them: softmax over the vocabulary at the masked position, optionally restricted to
// `targets` (their probabilities under the full softmax), top-k by score.
import { inputsFromEncodings, type ModelSource } from '@albert-ts/core';
import { type AlbertForMaskedLM, mlmHead } from '@albert-ts/pretraining';
import * as tf from '@tensorflow/tfjs-core';
import { AutoModelForMaskedLM } from '../auto/auto-model.js';
import { PipelineError } from '../errors.js';
import type { Tokenizer } from '../tokenizer/auto-tokenizer.js';
import { maskToken, vocabId } from '../tokenizer/vocab.js';
import { computeAndRead, inSortedBatches, longest } from './batches.js';
import { makePipeline, type Pipeline } from './callable.js';
import { encodeTruncating, type Warn } from './encode.js';
import { positiveInt, textList } from './inputs.js';
import { openForTask, type PipelineOptions } from './load.js';

export interface FillMaskOptions {
  /** Candidates per mask (default 5; at most the number of targets). */
  topK?: number;
  /** Score only these tokens: vocabulary pieces ('▁paris') or words (their first token, with a warning). */
  targets?: string | string[];
}

export interface FillMaskCandidate {
  /** Probability of the token at the mask. */
  score: number;
  /** Its id. */
  token: number;
  /** Its text (decoded). */
  tokenStr: string;
  /** The input with the mask replaced (special tokens left out when the input has one mask, as HF). */
  sequence: string;
}

/** Candidates for the input's mask, best first; for an input with several masks, one such list per mask. */
export type FillMaskOutput = FillMaskCandidate[] | FillMaskCandidate[][];

export type FillMaskPipeline = Pipeline<string, FillMaskOutput, FillMaskOptions>;

const TASK = 'fill-mask';

/** HF get_target_ids: a vocabulary piece as is, else the first token of the word (with a warning). */
export function targetIds(tok: Tokenizer, targets: string | string[], warn: Warn): number[] {
  const list = typeof targets === 'string' ? [targets] : targets;
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string')) {
    throw new PipelineError('bad-option', `${TASK}: targets must be a string or an array of strings`);
  }
  const ids = new Set<number>();
  for (const target of list) {
    const id = vocabId(tok, target);
    if (id !== undefined) {
      ids.add(id);
      continue;
    }
    const first = tok.encodeSequence(target).ids[0];
    if (first === undefined) {
      warn(`[albert-ts] ${TASK}: the target "${target}" is not in the vocabulary and has no token; ignored.`);
      continue;
    }
    warn(
      `[albert-ts] ${TASK}: the target "${target}" is not in the vocabulary; using its first token "${tok.convertIdsToTokens([first])[0]}".`,
    );
    ids.add(first);
  }
  if (ids.size === 0) throw new PipelineError('bad-option', `${TASK}: none of the targets is usable`);
  return [...ids];
}

export async function fillMaskPipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions & FillMaskOptions,
): Promise<FillMaskPipeline> {
  const opened = await openForTask(TASK, model, options, ['AlbertForMaskedLM', 'AlbertForPreTraining']);
  const { batchSize } = opened;
  const tok = opened.tokenizer;
  const mask = maskToken(tok);
  const mlm: AlbertForMaskedLM = await AutoModelForMaskedLM.fromPretrained(opened.source, {
    warn: opened.warn,
    dtype: opened.dtype,
  });
  const words = mlm.albert.params.get('embeddings.word_embeddings.weight') as tf.Variable;

  const run = async (texts: string[], call: FillMaskOptions): Promise<FillMaskOutput[]> => {
    const targets = call.targets ?? options.targets;
    const ids = targets === undefined ? null : targetIds(tok, targets, opened.warn);
    const topK = Math.min(positiveInt(call.topK ?? options.topK, 'topK', TASK, 5), ids?.length ?? mlm.config.vocabSize);
    const encodings = encodeTruncating(tok, texts, opened.maxLength, TASK, opened.warn);
    const masks = encodings.map((e, i) => {
      const at: number[] = [];
      for (let p = 0; p < e.inputIds.length; p++) if (e.inputIds[p] === mask.id) at.push(p);
      if (at.length === 0 && texts[i]?.includes(mask.token)) {
        throw new PipelineError(
          'bad-input',
          `${TASK}: the ${mask.token} of input [${i}] is past the model's ${opened.maxLength} tokens and was cut off by the truncation; shorten the text or put ${mask.token} nearer its start`,
        );
      }
      if (at.length === 0) {
        throw new PipelineError(
          'bad-input',
          `${TASK}: input [${i}] has no ${mask.token} token; write ${mask.token} where a word should be filled in`,
        );
      }
      return at;
    });
    const items = encodings.map((encoding, i) => ({ encoding, masks: masks[i] as number[] }));
    return inSortedBatches(
      items,
      (it) => it.encoding.inputIds.length,
      batchSize,
      async (batch) => {
        const encodings = batch.map((it) => it.encoding);
        const seq = longest(encodings);
        const rows = batch.flatMap((it, b) => it.masks.map((p) => b * seq + p));
        const [scores, indices] = (await computeAndRead(() => {
          const { lastHiddenState } = mlm.albert.forward(inputsFromEncodings(encodings, { padId: tok.padId })); // [b, s, H]
          const flat = tf.reshape(lastHiddenState, [-1, mlm.config.hiddenSize]); // [b*s, H]
          const hidden = tf.gather(flat, tf.tensor1d(rows, 'int32')); // [m, H]
          let probs = tf.softmax(mlmHead(mlm.config, mlm.head, words, hidden) as tf.Tensor2D); // [m, V]
          if (ids !== null) probs = tf.gather(probs, tf.tensor1d(ids, 'int32'), 1); // [m, T]
          const top = tf.topk(probs, topK); // [m, k]
          return [top.values, top.indices];
        })) as [Float32Array, Int32Array];
        let row = 0;
        return batch.map((it) => {
          const perMask = it.masks.map((position) => {
            const r = row++;
            return Array.from({ length: topK }, (_, k): FillMaskCandidate => {
              const idx = indices[r * topK + k] as number;
              const token = ids === null ? idx : (ids[idx] as number);
              const filled = Int32Array.from(it.encoding.inputIds); // other masks stay [MASK], as in HF
              filled[position] = token;
              return {
                score: scores[r * topK + k] as number,
                token,
                tokenStr: tok.decode([token]),
                sequence: tok.decode(filled, { skipSpecialTokens: it.masks.length === 1 }),
              };
            });
          });
          return perMask.length === 1 ? (perMask[0] as FillMaskCandidate[]) : perMask;
        });
      },
    );
  };
  return makePipeline(
    TASK,
    opened,
    (input) => textList(input, TASK),
    run,
    () => mlm.dispose(),
  );
}
