// AlbertTokenizer: Hugging Face's slow AlbertTokenizer (transformers 4.x, tokenization_albert.py and
// the PreTrainedTokenizer base class) on top of our SentencePieceProcessor, with character offsets.

import { AlbertError, TokenizerInputError } from '../errors.js';
import { TokenizerJsonTokenizer } from '../hf-json/tokenizer-json.js';
import { type ModelProto, parseModelProto, serializeModelProto } from '../model/model-proto.js';
import { AlignedText } from '../normalizer/aligned.js';
import { SentencePieceProcessor } from '../processor.js';
import { type Encoding, type TokenSequence, TokenSink } from './encoding.js';
import {
  collapseSpacesAndQuotes,
  decomposeAndLower,
  findSpecialTokens,
  lowerOutsideSpecialTokens,
  type PreprocessOptions,
  preprocessFast,
  splitOnSpecialTokens,
} from './preprocess.js';
import { isPythonDigit, isPythonSpace } from './python-text.js';
import type { EncodeOptions, TextInput } from './sequence-encoder.js';
import { SequenceEncoder } from './sequence-encoder.js';

export interface AlbertTokenizerOptions {
  /** lower-case the input (HF do_lower_case, default true) */
  doLowerCase?: boolean;
  /** strip and collapse whitespace before SentencePiece (HF remove_space, default true) */
  removeSpace?: boolean;
  /** keep accents; when false, NFKD then drop combining characters (HF keep_accents, default false) */
  keepAccents?: boolean;
  /** decode's default for cleanUpTokenizationSpaces (ALBERT's long-standing default: true) */
  cleanUpTokenizationSpaces?: boolean;
  /** the model's maximum sequence length, used by padding 'max_length' without maxLength */
  modelMaxLength?: number;
  clsToken?: string;
  sepToken?: string;
  unkToken?: string;
  padToken?: string;
  maskToken?: string;
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  cleanUpTokenizationSpaces?: boolean;
}

const SPIECE_UNDERLINE = '\u2581';

export class AlbertTokenizer extends SequenceEncoder {
  readonly sp: SentencePieceProcessor;
  readonly doLowerCase: boolean;
  readonly removeSpace: boolean;
  readonly keepAccents: boolean;
  readonly cleanUpTokenizationSpaces: boolean;
  readonly modelMaxLength: number | undefined;
  readonly clsToken: string;
  readonly sepToken: string;
  readonly unkToken: string;
  readonly padToken: string;
  readonly maskToken: string;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly maskId: number;
  /** HF all_special_tokens, in its order: the strings split out of text before SentencePiece */
  readonly specialTokens: readonly string[];
  readonly specialIds: ReadonlySet<number>;

  private readonly specialTokenIds: number[];
  private readonly maskIndex: number;
  /** per vocab id: 1 if the piece ends in digit + ',' (the digit-comma rule re-encodes it) */
  private readonly commaSplit: Uint8Array;
  private readonly pre: PreprocessOptions;
  // reused buffers
  private readonly lowered = new AlignedText();
  private readonly collapsed = new AlignedText();
  private readonly decomposed = new AlignedText();
  private readonly normalized = new AlignedText();
  private readonly sink = new TokenSink();
  private readonly options: AlbertTokenizerOptions;
  private pool: Promise<import('../parallel/pool.js').AlbertTokenizerPool> | null = null;

  constructor(model: ModelProto | SentencePieceProcessor, options: AlbertTokenizerOptions = {}) {
    super();
    this.options = options;
    this.sp = model instanceof SentencePieceProcessor ? model : new SentencePieceProcessor(model);
    this.doLowerCase = options.doLowerCase ?? true;
    this.removeSpace = options.removeSpace ?? true;
    this.keepAccents = options.keepAccents ?? false;
    this.cleanUpTokenizationSpaces = options.cleanUpTokenizationSpaces ?? true;
    this.modelMaxLength = options.modelMaxLength;
    this.clsToken = options.clsToken ?? '[CLS]';
    this.sepToken = options.sepToken ?? '[SEP]';
    this.unkToken = options.unkToken ?? '<unk>';
    this.padToken = options.padToken ?? '<pad>';
    this.maskToken = options.maskToken ?? '[MASK]';
    // HF all_special_tokens order: bos ([CLS]), eos ([SEP]), unk, sep, pad, cls, mask — deduplicated
    this.specialTokens = [
      ...new Set([
        this.clsToken,
        this.sepToken,
        this.unkToken,
        this.sepToken,
        this.padToken,
        this.clsToken,
        this.maskToken,
      ]),
    ];
    const idOf = (t: string, what: string) => {
      const id = this.sp.pieceToId(t);
      if (id === this.sp.unkId && t !== this.sp.idToPiece(this.sp.unkId)) {
        throw new AlbertError(
          `${what} token "${t}" is not in the SentencePiece vocabulary; pass the model's own token`,
        );
      }
      return id;
    };
    this.clsId = idOf(this.clsToken, 'cls');
    this.sepId = idOf(this.sepToken, 'sep');
    this.unkId = idOf(this.unkToken, 'unk');
    this.padId = idOf(this.padToken, 'pad');
    this.maskId = idOf(this.maskToken, 'mask');
    this.specialTokenIds = this.specialTokens.map((t) => this.sp.pieceToId(t));
    this.specialIds = new Set(this.specialTokenIds);
    this.maskIndex = this.specialTokens.indexOf(this.maskToken);
    this.pre = { doLowerCase: this.doLowerCase, removeSpace: this.removeSpace, keepAccents: this.keepAccents };
    const pieces = this.sp.model.pieces;
    this.commaSplit = new Uint8Array(pieces.length);
    for (let i = 0; i < pieces.length; i++) {
      if (endsWithDigitComma((pieces[i] as { piece: string }).piece)) this.commaSplit[i] = 1;
    }
  }

  /** From the bytes of a SentencePiece `.model` file (spiece.model). Works anywhere. */
  static fromBytes(bytes: Uint8Array, options?: AlbertTokenizerOptions): AlbertTokenizer {
    return new AlbertTokenizer(parseModelProto(bytes), options);
  }

  /**
   * From a Hugging Face `tokenizer.json` (Unigram model, current or legacy form). The result runs the
   * file the way HF's Rust `tokenizers` does, quirks included (see README): for spiece.model's exact
   * slow-tokenizer behaviour, load the `.model` instead.
   */
  static fromTokenizerJson(
    json: string | Record<string, unknown>,
    options?: { modelMaxLength?: number },
  ): TokenizerJsonTokenizer {
    return TokenizerJsonTokenizer.fromJson(json, options);
  }

  /** From a `.model` file path (Node only). */
  static async fromFile(path: string, options?: AlbertTokenizerOptions): Promise<AlbertTokenizer> {
    const { readFile } = await import('node:fs/promises');
    return AlbertTokenizer.fromBytes(new Uint8Array(await readFile(path)), options);
  }

  get vocabSize(): number {
    return this.sp.vocabSize;
  }

  // ---- tokenize --------------------------------------------------------------------------------

  /** HF tokenize(text): the pieces, special tokens in the text kept whole. */
  tokenize(text: string): string[] {
    const sink = this.sink.reset(true);
    this.run(text, sink);
    return sink.pieces as string[];
  }

  /** ids of `text` without [CLS]/[SEP], with the original [start, end) of each token. */
  encodeSequence(text: string): TokenSequence {
    const sink = this.sink.reset(false);
    this.run(text, sink);
    return sink.toSequence();
  }

  protected override encodeSequenceTransient(text: string): TokenSequence {
    const sink = this.sink.reset(false);
    this.run(text, sink);
    return sink.view();
  }

  /** The whole HF pipeline on one text, into `sink`. */
  private run(text: string, sink: TokenSink): void {
    if (typeof text !== 'string') throw new TokenizerInputError(`expected a string to tokenize, got ${typeof text}`);
    // Fast route (default settings): special tokens found and text preprocessed straight from the
    // original string. Otherwise: lower-case into an aligned copy first, as HF does step by step.
    const fast = this.doLowerCase && this.removeSpace && !this.keepAccents;
    let source: AlignedText | null = null;
    let parts: number[];
    if (fast) parts = findSpecialTokens(text, this.specialTokens);
    else {
      source = this.lowered;
      if (this.doLowerCase) lowerOutsideSpecialTokens(text, this.specialTokens, source);
      else source.setIdentity(text);
      parts = splitOnSpecialTokens(source, this.specialTokens);
    }
    const isSpaceAt = (i: number) =>
      source === null ? isPythonSpace(text.charCodeAt(i)) : isPythonSpace(source.units[i] as number);
    // [MASK] is lstrip: the text before it loses its trailing whitespace
    for (let p = 0; p < parts.length; p += 3) {
      if (parts[p + 2] === this.maskIndex && p >= 3 && parts[p - 1] === -1) {
        let end = parts[p - 2] as number;
        const start = parts[p - 3] as number;
        while (end > start && isSpaceAt(end - 1)) end--;
        parts[p - 2] = end;
      }
    }
    for (let p = 0; p < parts.length; p += 3) {
      const from = parts[p] as number;
      const to = parts[p + 1] as number;
      const special = parts[p + 2] as number;
      if (to <= from) continue;
      if (special >= 0) {
        const start = source === null ? from : (source.start[from] as number);
        const end = source === null ? to : (source.end[to - 1] as number);
        sink.push(this.specialTokenIds[special] as number, start, end);
        sink.pieces?.push(this.specialTokens[special] as string);
        continue;
      }
      const pre = this.decomposed;
      if (source === null) {
        if (!preprocessFast(text, from, to, pre)) {
          // a capital sigma from NFKD: its lower case needs the step-by-step route
          lowerOutsideSpecialTokens(text, [], this.lowered, from, to);
          collapseSpacesAndQuotes(this.lowered, 0, this.lowered.length, true, this.collapsed);
          decomposeAndLower(this.collapsed, this.pre, pre);
        }
      } else {
        collapseSpacesAndQuotes(source, from, to, this.removeSpace, this.collapsed);
        decomposeAndLower(this.collapsed, this.pre, pre);
      }
      this.segment(pre, sink);
    }
    if (text.length > 1 << 20) {
      // one huge input: do not keep its buffers alive
      for (const b of [this.lowered, this.collapsed, this.decomposed, this.normalized]) b.shrink();
      this.sp.unigram.shrink();
      this.sp.releaseBuffers();
    }
  }

  /** SentencePiece on preprocessed text, then the digit-comma rule. */
  private segment(pre: AlignedText, sink: TokenSink): void {
    const norm = this.normalized;
    const found = this.sp.segmentAligned(pre, norm);
    const count = found.count;
    let seg = found.seg;
    let copied = false;
    const unk = this.sp.unkId;
    const commaSplit = this.commaSplit;
    const wantPieces = sink.pieces !== null;
    for (let k = 0; k < count; k++) {
      const s = seg[3 * k] as number;
      const e = seg[3 * k + 1] as number;
      let id = seg[3 * k + 2] as number;
      if (id === unk || wantPieces || commaSplit[id] === 1) {
        const piece = norm.toString(s, e);
        if (id === unk) id = this.sp.pieceToId(piece);
        if (commaSplit[id] === 1 || (id === unk && endsWithDigitComma(piece))) {
          if (!copied) {
            seg = seg.slice(0, 3 * count); // the re-encoding below reuses sp's buffers
            copied = true;
          }
          this.splitDigitComma(piece, norm, s, e, sink);
          continue;
        }
        sink.pieces?.push(piece);
      }
      sink.push(id, norm.start[s] as number, norm.end[e - 1] as number);
    }
  }

  /**
   * HF: a piece like "▁9," is re-encoded without its comma (▁ removed first), the comma becoming
   * its own piece. Offsets: the new pieces take the piece's characters left to right.
   */
  private splitDigitComma(piece: string, norm: AlignedText, s: number, e: number, sink: TokenSink): void {
    // re-encoding uses the shared buffers of sp; copy what we need from `norm` first
    const starts = norm.start.slice(s, e);
    const ends = norm.end.slice(s, e);
    const sub = this.sp.encodeAsPieces(piece.slice(0, -1).replaceAll(SPIECE_UNDERLINE, ''));
    if (!piece.startsWith(SPIECE_UNDERLINE) && sub.length > 0 && (sub[0] as string).startsWith(SPIECE_UNDERLINE)) {
      if ((sub[0] as string).length === 1) sub.shift();
      else sub[0] = (sub[0] as string).slice(1);
    }
    const last = e - s - 1;
    let pos = 0;
    for (const p of sub) {
      const a = Math.min(pos, last);
      const b = Math.min(pos + p.length, last);
      sink.push(this.sp.pieceToId(p), starts[a] as number, b > a ? (ends[b - 1] as number) : (starts[a] as number));
      sink.pieces?.push(p);
      pos += p.length;
    }
    sink.push(this.sp.pieceToId(','), starts[last] as number, ends[last] as number);
    sink.pieces?.push(',');
  }

  // ---- ids <-> tokens --------------------------------------------------------------------------

  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.sp.pieceToId(t));
  }

  convertIdsToTokens(ids: ArrayLike<number>, skipSpecialTokens = false): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (skipSpecialTokens && this.specialIds.has(id)) continue;
      out.push(this.sp.idToPiece(id));
    }
    return out;
  }

  /**
   * encodeBatch on worker threads (Node only): the first call starts an AlbertTokenizerPool with
   * this tokenizer's model and options, later calls reuse it; closeWorkers() stops it.
   */
  async encodeBatchParallel(
    inputs: readonly TextInput[],
    options: EncodeOptions = {},
    pool: { workers?: number; chunkChars?: number } = {},
  ): Promise<Encoding[]> {
    if (this.pool === null) {
      const { AlbertTokenizerPool } = await import('../parallel/pool.js');
      this.pool = AlbertTokenizerPool.create(serializeModelProto(this.sp.model), { ...this.options, ...pool });
    }
    return (await this.pool).encodeBatch(inputs, options);
  }

  /** Stops the worker threads encodeBatchParallel started. */
  async closeWorkers(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool !== null) await (await pool).close();
  }

  /** HF build_inputs_with_special_tokens: [CLS] A [SEP] (B [SEP]). */
  buildInputsWithSpecialTokens(a: readonly number[], b?: readonly number[] | null): number[] {
    const out = [this.clsId, ...a, this.sepId];
    if (b !== undefined && b !== null) out.push(...b, this.sepId);
    return out;
  }

  /** HF create_token_type_ids_from_sequences: 0 over [CLS] A [SEP], 1 over B [SEP]. */
  createTokenTypeIdsFromSequences(a: readonly number[], b?: readonly number[] | null): number[] {
    const out = new Array<number>(a.length + 2).fill(0);
    if (b !== undefined && b !== null) out.push(...new Array<number>(b.length + 1).fill(1));
    return out;
  }

  /** HF get_special_tokens_mask. */
  getSpecialTokensMask(a: readonly number[], b?: readonly number[] | null, alreadyHasSpecialTokens = false): number[] {
    if (alreadyHasSpecialTokens) return a.map((id) => (id === this.clsId || id === this.sepId ? 1 : 0));
    const out = [1, ...new Array<number>(a.length).fill(0), 1];
    if (b !== undefined && b !== null) out.push(...new Array<number>(b.length).fill(0), 1);
    return out;
  }

  // ---- decode ----------------------------------------------------------------------------------

  /** HF decode: ids to text (special tokens written literally unless skipped), optional clean-up. */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens = this.convertIdsToTokens(ids, options.skipSpecialTokens ?? false);
    const text = this.convertTokensToString(tokens);
    return (options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces) ? cleanUpTokenization(text) : text;
  }

  /** HF AlbertTokenizer.convert_tokens_to_string. */
  convertTokensToString(tokens: readonly string[]): string {
    let current: string[] = [];
    let out = '';
    let prevIsSpecial = false;
    for (const token of tokens) {
      if (this.specialTokens.includes(token)) {
        if (!prevIsSpecial) out += ' ';
        out += this.sp.decodePieces(current) + token;
        prevIsSpecial = true;
        current = [];
      } else {
        current.push(token);
        prevIsSpecial = false;
      }
    }
    out += this.sp.decodePieces(current);
    return pythonStrip(out);
  }

  /** Decodes each row. */
  decodeBatch(batch: readonly ArrayLike<number>[], options: DecodeOptions = {}): string[] {
    return batch.map((ids) => this.decode(ids, options));
  }
}

/** A piece longer than one character ending in a (Python isdigit) digit followed by ','. */
function endsWithDigitComma(piece: string): boolean {
  const n = piece.length;
  if (n < 2 || piece.charCodeAt(n - 1) !== 0x2c) return false;
  let cp = piece.charCodeAt(n - 2);
  if (cp >= 0xdc00 && cp <= 0xdfff && n >= 3) cp = piece.codePointAt(n - 3) as number;
  // Python len(piece) > 1 counts code points
  if ([...piece].length < 2) return false;
  return isPythonDigit(cp);
}

/** HF PreTrainedTokenizerBase.clean_up_tokenization. */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/** Python str.strip() with no argument. */
export function pythonStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPythonSpace(s.codePointAt(a) as number)) a++;
  while (b > a && isPythonSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}
