// PretrainingExample ↔ the tf.train.Example features `create_pretraining_data.py` writes
// (`write_instance_to_example_files`), so files made here feed the original `run_pretraining.py`:
//   input_ids, input_mask, segment_ids, token_boundary   int64 × max_seq_length (0-padded)
//   masked_lm_positions, masked_lm_ids                   int64 × max_predictions_per_seq (0-padded)
//   masked_lm_weights                                    float × max_predictions_per_seq (1.0 real, 0.0 pad)
//   next_sentence_labels                                 int64 × 1 (the sentence-order label)
import type { PretrainingExample } from '../corpus/example.js';
import { TFRecordError } from '../errors.js';
import type { Feature, Features } from './example-proto.js';

export interface AlbertFeatureShape {
  maxSeqLength: number;
  maxPredictionsPerSeq: number;
}

function padded(values: ArrayLike<number>, length: number, what: string): number[] {
  if (values.length > length) {
    throw new TFRecordError(`${what} has ${values.length} values, more than the ${length} the file layout allows.`);
  }
  const out = new Array<number>(length).fill(0);
  for (let i = 0; i < values.length; i++) out[i] = values[i] as number;
  return out;
}

export function exampleToFeatures(e: PretrainingExample, shape: AlbertFeatureShape): Features {
  const { maxSeqLength: s, maxPredictionsPerSeq: p } = shape;
  const n = e.inputIds.length;
  const weights = new Float32Array(p);
  weights.fill(1, 0, Math.min(p, e.maskedPositions.length));
  const int64 = (values: number[]): Feature => ({ kind: 'int64', values });
  return new Map<string, Feature>([
    ['input_ids', int64(padded(e.inputIds, s, 'input_ids'))],
    ['input_mask', int64(padded(new Array<number>(n).fill(1), s, 'input_mask'))],
    ['segment_ids', int64(padded(e.tokenTypeIds, s, 'segment_ids'))],
    ['token_boundary', int64(padded(e.tokenBoundary, s, 'token_boundary'))],
    ['masked_lm_positions', int64(padded(e.maskedPositions, p, 'masked_lm_positions'))],
    ['masked_lm_ids', int64(padded(e.maskedIds, p, 'masked_lm_ids'))],
    ['masked_lm_weights', { kind: 'float', values: weights }],
    ['next_sentence_labels', int64([e.sentenceOrderLabel])],
  ]);
}

function int64Feature(features: Features, name: string, where: string): number[] {
  const f = features.get(name);
  if (f == null || f.kind !== 'int64') {
    throw new TFRecordError(
      `${where}: feature "${name}" is ${f == null ? 'missing' : `a ${f.kind} list`}; expected an int64 list as create_pretraining_data.py writes.`,
    );
  }
  return f.values;
}

/** Back to an unpadded example (real length from input_mask, predictions from masked_lm_weights). */
export function featuresToExample(features: Features, where = 'record'): PretrainingExample {
  const inputIds = int64Feature(features, 'input_ids', where);
  const mask = int64Feature(features, 'input_mask', where);
  const segments = int64Feature(features, 'segment_ids', where);
  const positions = int64Feature(features, 'masked_lm_positions', where);
  const ids = int64Feature(features, 'masked_lm_ids', where);
  const label = int64Feature(features, 'next_sentence_labels', where);
  const boundary = features.has('token_boundary') ? int64Feature(features, 'token_boundary', where) : null;
  const w = features.get('masked_lm_weights');
  if (w == null || w.kind !== 'float') {
    throw new TFRecordError(`${where}: feature "masked_lm_weights" is missing or not a float list.`);
  }
  const n = mask.reduce((a, b) => a + b, 0);
  let k = 0;
  while (k < w.values.length && (w.values[k] as number) > 0) k++;
  if (label.length !== 1 || (label[0] !== 0 && label[0] !== 1)) {
    throw new TFRecordError(`${where}: next_sentence_labels must hold one 0 or 1 (got [${label.join(', ')}]).`);
  }
  return {
    inputIds: Int32Array.from(inputIds.slice(0, n)),
    tokenTypeIds: Int32Array.from(segments.slice(0, n)),
    tokenBoundary: Uint8Array.from(boundary?.slice(0, n) ?? new Array<number>(n).fill(0)),
    maskedPositions: Int32Array.from(positions.slice(0, k)),
    maskedIds: Int32Array.from(ids.slice(0, k)),
    sentenceOrderLabel: label[0] as 0 | 1,
  };
}
