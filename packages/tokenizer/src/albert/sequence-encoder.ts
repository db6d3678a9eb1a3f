// The part of encoding shared by every tokenizer here: HF prepare_for_model (truncation, the
// [CLS] A [SEP] (B [SEP]) template, token types, special-tokens mask, offsets), overflow windows
// with stride as the fast tokenizers return them, padding, batches.

import { TokenizerInputError } from '../errors.js';
import { type Encoding, sliceSequence, type TokenSequence } from './encoding.js';

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';
export type PaddingStrategy = 'longest' | 'max_length' | 'do_not_pad';

export interface EncodeOptions {
  /** add [CLS] ... [SEP] (default true) */
  addSpecialTokens?: boolean;
  /** maximum length including special tokens */
  maxLength?: number;
  /** default: 'longest_first' when maxLength is given (and padding is not 'max_length'), else none */
  truncation?: boolean | TruncationStrategy;
  /** which end loses tokens (HF truncation_side, default 'right') */
  truncationSide?: 'right' | 'left';
  /** overlap, in tokens, between consecutive overflow windows (default 0) */
  stride?: number;
  /** return the rest of a truncated input as further windows in `overflow` (default false) */
  returnOverflowingTokens?: boolean;
  /** true = 'longest' */
  padding?: boolean | PaddingStrategy;
  paddingSide?: 'right' | 'left';
  padToMultipleOf?: number;
}

export type TextInput = string | readonly [string, string];

export abstract class SequenceEncoder {
  abstract readonly clsId: number;
  abstract readonly sepId: number;
  abstract readonly padId: number;
  abstract readonly modelMaxLength: number | undefined;

  /** ids of `text` without template tokens, with the original [start, end) of each token. */
  abstract encodeSequence(text: string): TokenSequence;

  /**
   * Like encodeSequence, but the result may be a view into a buffer the next call overwrites
   * (encode copies it into the Encoding right away). Tokenizers with a reusable buffer override it.
   */
  protected encodeSequenceTransient(text: string): TokenSequence {
    return this.encodeSequence(text);
  }

  /** Encodes one text or a pair: [CLS] A [SEP] (B [SEP]), with truncation, overflow and padding. */
  encode(text: string, pair?: string | null, options: EncodeOptions = {}): Encoding {
    const single = pair === undefined || pair === null;
    const a = single ? this.encodeSequenceTransient(text) : this.encodeSequence(text);
    const b = single ? null : this.encodeSequenceTransient(pair);
    const encodings = [this.prepare(a, b, options)];
    if (resolvePadding(options) === 'max_length') this.padAll(encodings, this.paddingTarget(options, 0), options);
    return encodings[0] as Encoding;
  }

  /**
   * encode() for sequences already tokenized with encodeSequence: a question cut to 64 tokens, words
   * tokenized one by one (offsets then point wherever the caller put them). Same truncation, overflow
   * windows, template and padding as encode().
   */
  encodeTokens(a: TokenSequence, b?: TokenSequence | null, options: EncodeOptions = {}): Encoding {
    for (const [name, s] of [
      ['first', a],
      ['second', b],
    ] as const) {
      if (s === undefined || s === null) continue;
      if (s.ids.length !== s.starts.length || s.ids.length !== s.ends.length) {
        throw new TokenizerInputError(
          `encodeTokens: the ${name} sequence has ${s.ids.length} ids but ${s.starts.length} starts and ${s.ends.length} ends; pass what encodeSequence returns`,
        );
      }
    }
    const encodings = [this.prepare(a, b ?? null, options)];
    if (resolvePadding(options) === 'max_length') this.padAll(encodings, this.paddingTarget(options, 0), options);
    return encodings[0] as Encoding;
  }

  /** Encodes many texts (or [A, B] pairs); 'longest' padding pads to the longest in the batch. */
  encodeBatch(inputs: readonly TextInput[], options: EncodeOptions = {}): Encoding[] {
    const encodings = inputs.map((input) =>
      typeof input === 'string'
        ? this.prepare(this.encodeSequenceTransient(input), null, options)
        : this.prepare(this.encodeSequence(input[0]), this.encodeSequenceTransient(input[1]), options),
    );
    this.padBatch(encodings, options);
    return encodings;
  }

  /** Pads encodings (and their overflow windows) as `options.padding` asks. */
  padBatch(encodings: Encoding[], options: EncodeOptions): void {
    const padding = resolvePadding(options);
    if (padding === 'do_not_pad') return;
    let longest = 0;
    for (const e of encodings) {
      longest = Math.max(longest, e.inputIds.length);
      for (const o of e.overflow) longest = Math.max(longest, o.inputIds.length);
    }
    this.padAll(encodings, this.paddingTarget(options, longest), options);
  }

  private paddingTarget(options: EncodeOptions, longest: number): number {
    const padding = resolvePadding(options);
    let target = longest;
    if (padding === 'max_length') {
      const max = options.maxLength ?? this.modelMaxLength;
      if (max === undefined) {
        throw new TokenizerInputError("padding 'max_length' needs maxLength (or the tokenizer's modelMaxLength)");
      }
      target = max;
    }
    const m = options.padToMultipleOf;
    if (m !== undefined && m > 0 && target % m !== 0) target = (Math.floor(target / m) + 1) * m;
    return target;
  }

  private padAll(encodings: Encoding[], target: number, options: EncodeOptions): void {
    const left = options.paddingSide === 'left';
    for (let i = 0; i < encodings.length; i++) {
      const e = encodings[i] as Encoding;
      const padded = padEncoding(e, target, this.padId, left);
      padded.overflow = e.overflow.map((o) => padEncoding(o, target, this.padId, left));
      encodings[i] = padded;
    }
  }

  /** HF prepare_for_model: truncation, then the template; overflow windows as the fast tokenizer. */
  private prepare(a: TokenSequence, b: TokenSequence | null, options: EncodeOptions): Encoding {
    const addSpecial = options.addSpecialTokens ?? true;
    const encs = this.truncate(a, b, options).map(([x, y]) => this.template(x, y, addSpecial));
    const main = encs[0] as Encoding;
    main.overflow = encs.slice(1);
    return main;
  }

  /**
   * encodeBatch without overflow windows or padding, every encoding packed into one Int32Array (what
   * worker threads send back): per encoding n, then inputIds, tokenTypeIds, attentionMask,
   * specialTokensMask (n each), offsets (2n) and sequenceIds (n).
   */
  encodeBatchPacked(inputs: readonly TextInput[], options: EncodeOptions = {}): Int32Array {
    const addSpecial = options.addSpecialTokens ?? true;
    const opts = { ...options, returnOverflowingTokens: false };
    let buf = new Int32Array(1 << 16);
    let k = 0;
    for (const input of inputs) {
      const [x, y] = (
        typeof input === 'string'
          ? this.truncate(this.encodeSequenceTransient(input), null, opts)
          : this.truncate(this.encodeSequence(input[0]), this.encodeSequenceTransient(input[1]), opts)
      )[0] as [TokenSequence, TokenSequence | null];
      const n = x.ids.length + (y === null ? 0 : y.ids.length) + (addSpecial ? (y === null ? 2 : 3) : 0);
      if (k + 1 + 7 * n > buf.length) {
        const bigger = new Int32Array(Math.max(2 * buf.length, k + 1 + 7 * n));
        bigger.set(buf.subarray(0, k));
        buf = bigger;
      }
      buf[k++] = n;
      const ids = k;
      const types = k + n;
      const mask = k + 2 * n;
      const special = k + 3 * n;
      const offsets = k + 4 * n;
      const seqIds = k + 6 * n;
      buf.fill(1, mask, mask + n);
      buf.fill(-1, seqIds, seqIds + n);
      let t = 0;
      const put = (id: number, type: number, isSpecial: boolean) => {
        buf[ids + t] = id;
        buf[types + t] = type;
        if (isSpecial) buf[special + t] = 1;
        t++;
      };
      const seq = (q: TokenSequence, type: number) => {
        for (let i = 0; i < q.ids.length; i++) {
          buf[offsets + 2 * t] = q.starts[i] as number;
          buf[offsets + 2 * t + 1] = q.ends[i] as number;
          buf[seqIds + t] = type;
          put(q.ids[i] as number, type, false);
        }
      };
      if (addSpecial) put(this.clsId, 0, true);
      seq(x, 0);
      if (addSpecial) put(this.sepId, 0, true);
      if (y !== null) {
        seq(y, 1);
        if (addSpecial) put(this.sepId, 1, true);
      }
      k += 7 * n;
    }
    return buf.slice(0, k);
  }

  /** Truncation: the [A, B] to encode, then the overflow windows (empty unless asked for). */
  private truncate(
    a: TokenSequence,
    b: TokenSequence | null,
    options: EncodeOptions,
  ): [TokenSequence, TokenSequence | null][] {
    const addSpecial = options.addSpecialTokens ?? true;
    const numSpecial = addSpecial ? (b === null ? 2 : 3) : 0;
    const strategy = resolveTruncation(options);
    const maxLength = options.maxLength;
    const stride = options.stride ?? 0;
    const side = options.truncationSide ?? 'right';
    if (side !== 'right' && side !== 'left') {
      throw new TokenizerInputError(`truncationSide must be 'right' or 'left', got ${JSON.stringify(side)}`);
    }
    const left = side === 'left';
    const build = (x: TokenSequence, y: TokenSequence | null): [TokenSequence, TokenSequence | null][] => [[x, y]];
    if (strategy === 'do_not_truncate' || maxLength === undefined) return build(a, b);
    if (!Number.isInteger(maxLength) || maxLength <= 0) {
      throw new TokenizerInputError(`maxLength must be a positive integer, got ${maxLength}`);
    }
    if (!Number.isInteger(stride) || stride < 0) {
      throw new TokenizerInputError(`stride must be a non-negative integer, got ${stride}`);
    }
    const total = a.ids.length + (b === null ? 0 : b.ids.length) + numSpecial;
    const remove = total - maxLength;
    if (remove <= 0) return build(a, b);

    if (strategy === 'longest_first' && b !== null) {
      // HF slow tokenizer: the longer sequence loses tokens first, then both alternately; no overflow
      const la = a.ids.length;
      const lb = b.ids.length;
      const firstRemove = Math.min(Math.abs(lb - la), remove);
      const secondRemove = remove - firstRemove;
      let fromA: number;
      let fromB: number;
      if (la > lb) {
        fromA = firstRemove + Math.floor(secondRemove / 2);
        fromB = secondRemove - Math.floor(secondRemove / 2);
      } else {
        fromA = Math.floor(secondRemove / 2);
        fromB = firstRemove + secondRemove - Math.floor(secondRemove / 2);
      }
      if (fromA > la || fromB > lb) {
        throw new TokenizerInputError(
          `maxLength ${maxLength} is too small for a pair with ${numSpecial} special tokens`,
        );
      }
      if (left) return build(sliceSequence(a, fromA, la), sliceSequence(b, fromB, lb));
      return build(sliceSequence(a, 0, la - fromA), sliceSequence(b, 0, lb - fromB));
    }

    const truncateSecond = strategy === 'only_second';
    if (truncateSecond && b === null) return build(a, b); // HF: nothing to truncate
    const target = (truncateSecond ? b : a) as TokenSequence;
    const budget = target.ids.length - remove;
    if (budget <= 0) {
      throw new TokenizerInputError(
        `cannot truncate to maxLength ${maxLength}: the ${truncateSecond ? 'second' : 'first'} sequence has ${target.ids.length} tokens but ${remove} must go; use a larger maxLength or another truncation strategy`,
      );
    }
    const len = target.ids.length;
    // right: keep the start, windows move right; left: keep the end, windows move left
    const windows: TokenSequence[] = [
      left ? sliceSequence(target, len - budget, len) : sliceSequence(target, 0, budget),
    ];
    if (options.returnOverflowingTokens) {
      if (stride >= budget) {
        throw new TokenizerInputError(
          `stride ${stride} must be smaller than the ${budget} tokens of each window (maxLength ${maxLength})`,
        );
      }
      const step = budget - stride;
      if (left) {
        for (let stop = len - step; stop - stride > 0; stop -= step) {
          windows.push(sliceSequence(target, Math.max(0, stop - budget), stop));
        }
      } else {
        for (let start = step; start + stride < len; start += step) {
          windows.push(sliceSequence(target, start, Math.min(start + budget, len)));
        }
      }
    }
    return windows.map((w): [TokenSequence, TokenSequence | null] => (truncateSecond ? [a, w] : [w, b]));
  }

  private template(a: TokenSequence, b: TokenSequence | null, addSpecial: boolean): Encoding {
    const n = a.ids.length + (b === null ? 0 : b.ids.length) + (addSpecial ? (b === null ? 2 : 3) : 0);
    // one allocation for all the arrays
    const buffer = new ArrayBuffer(24 * n + n);
    const inputIds = new Int32Array(buffer, 0, n);
    const tokenTypeIds = new Int32Array(buffer, 4 * n, n);
    const attentionMask = new Int32Array(buffer, 8 * n, n).fill(1);
    const specialTokensMask = new Int32Array(buffer, 12 * n, n);
    const offsets = new Int32Array(buffer, 16 * n, 2 * n);
    const sequenceIds = new Int8Array(buffer, 24 * n, n).fill(-1);
    let k = 0;
    const special = (id: number, type: number) => {
      inputIds[k] = id;
      tokenTypeIds[k] = type;
      specialTokensMask[k] = 1;
      k++;
    };
    const seq = (s: TokenSequence, type: number) => {
      const m = s.ids.length;
      inputIds.set(s.ids, k);
      if (type !== 0) tokenTypeIds.fill(type, k, k + m);
      sequenceIds.fill(type, k, k + m);
      for (let i = 0; i < m; i++) {
        offsets[2 * (k + i)] = s.starts[i] as number;
        offsets[2 * (k + i) + 1] = s.ends[i] as number;
      }
      k += m;
    };
    if (addSpecial) special(this.clsId, 0);
    seq(a, 0);
    if (addSpecial) special(this.sepId, 0);
    if (b !== null) {
      seq(b, 1);
      if (addSpecial) special(this.sepId, 1);
    }
    return { inputIds, tokenTypeIds, attentionMask, specialTokensMask, offsets, sequenceIds, overflow: [] };
  }
}

function resolveTruncation(options: EncodeOptions): TruncationStrategy {
  const t = options.truncation;
  if (t === true) return 'longest_first';
  if (t === false) return 'do_not_truncate';
  if (t === undefined) {
    if (options.maxLength === undefined || resolvePadding(options) === 'max_length') return 'do_not_truncate';
    return 'longest_first';
  }
  if (t !== 'longest_first' && t !== 'only_first' && t !== 'only_second' && t !== 'do_not_truncate') {
    throw new TokenizerInputError(
      `unknown truncation strategy "${String(t)}"; use longest_first, only_first, only_second or do_not_truncate`,
    );
  }
  return t;
}

function resolvePadding(options: EncodeOptions): PaddingStrategy {
  const p = options.padding;
  if (p === true) return 'longest';
  if (p === false || p === undefined) return 'do_not_pad';
  if (p !== 'longest' && p !== 'max_length' && p !== 'do_not_pad') {
    throw new TokenizerInputError(`unknown padding strategy "${String(p)}"; use longest, max_length or do_not_pad`);
  }
  return p;
}

function padEncoding(e: Encoding, target: number, padId: number, left: boolean): Encoding {
  const n = e.inputIds.length;
  if (n >= target) return e;
  const pad = target - n;
  const at = left ? pad : 0;
  const grow32 = (src: Int32Array, fill: number) => {
    const out = new Int32Array(target).fill(fill);
    out.set(src, at);
    return out;
  };
  const offsets = new Int32Array(2 * target);
  offsets.set(e.offsets, 2 * at);
  const sequenceIds = new Int8Array(target).fill(-1);
  sequenceIds.set(e.sequenceIds, at);
  return {
    inputIds: grow32(e.inputIds, padId),
    tokenTypeIds: grow32(e.tokenTypeIds, 0),
    attentionMask: grow32(e.attentionMask, 0),
    specialTokensMask: grow32(e.specialTokensMask, 1),
    offsets,
    sequenceIds,
    overflow: e.overflow,
  };
}
