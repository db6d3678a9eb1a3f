// A Hugging Face `tokenizer.json` with a Unigram model, run the way HF's Rust `tokenizers` runs it
// (so that a file converted from spiece.model gives what AlbertTokenizerFast gives, quirks included):
// added tokens are cut out of the raw text first (leftmost longest; lstrip/rstrip eat whitespace),
// each remaining section goes through the normalizer sequence, the Metaspace pre-tokenizer
// (spaces -> ▁, ▁ prepended, split before each ▁) and the Unigram model (float64 scores, runs of
// unknown characters fused), and the TemplateProcessing post-processor adds [CLS]/[SEP].
// Supported pieces: the normalizers in normalizers.ts, Metaspace, Unigram, TemplateProcessing with
// the BERT layout, Metaspace decoder. Anything else is a ModelFormatError naming what is missing.

import { type TokenSequence, TokenSink } from '../albert/encoding.js';
import { SequenceEncoder } from '../albert/sequence-encoder.js';
import { ModelFormatError, TokenizerInputError } from '../errors.js';
import { type ModelPiece, PieceType } from '../model/model-proto.js';
import { UnigramModel } from '../model/unigram.js';
import { AlignedText } from '../normalizer/aligned.js';
import { PrecompiledCharsMap } from '../normalizer/charsmap.js';
import {
  lowercase,
  type NormalizerStep,
  precompiled,
  replaceLiteral,
  replaceRegex,
  runSteps,
  strip,
  stripAccents,
  unicodeForm,
} from './normalizers.js';

interface AddedToken {
  id: number;
  content: string;
  single_word?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  normalized?: boolean;
  special?: boolean;
}

type Json = Record<string, unknown>;

const SPACE_SYMBOL = 0x2581;
const WHITE_SPACE = /\s/u;

function fail(what: string): never {
  throw new ModelFormatError(`tokenizer.json: ${what}`);
}

function base64ToBytes(b64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function buildNormalizer(spec: unknown): NormalizerStep[] {
  if (spec === null || spec === undefined) return [];
  const n = spec as Json;
  switch (n.type) {
    case 'Sequence':
      return ((n.normalizers as unknown[]) ?? fail('Sequence normalizer without normalizers')).flatMap(buildNormalizer);
    case 'Replace': {
      const pattern = n.pattern as { String?: string; Regex?: string };
      const content = String(n.content ?? '');
      if (typeof pattern?.String === 'string') return [replaceLiteral(pattern.String, content)];
      if (typeof pattern?.Regex === 'string') return [replaceRegex(pattern.Regex, content)];
      return fail('Replace normalizer without a String or Regex pattern');
    }
    case 'NFD':
    case 'NFKD':
    case 'NFC':
    case 'NFKC':
      return [unicodeForm(n.type)];
    case 'StripAccents':
      return [stripAccents];
    case 'Lowercase':
      return [lowercase];
    case 'Strip':
      return [strip(n.strip_left !== false, n.strip_right !== false)];
    case 'Precompiled': {
      const b64 = n.precompiled_charsmap;
      if (typeof b64 !== 'string' || b64.length === 0) return [];
      return [precompiled(new PrecompiledCharsMap(base64ToBytes(b64)))];
    }
    default:
      return fail(`normalizer type ${JSON.stringify(n.type)} is not supported`);
  }
}

interface Metaspace {
  replacement: number;
  prepend: 'always' | 'first' | 'never';
  split: boolean;
}

function buildPreTokenizer(spec: unknown): Metaspace | null {
  if (spec === null || spec === undefined) return null;
  const p = spec as Json;
  if (p.type === 'Sequence') {
    const list = (p.pretokenizers as unknown[]) ?? [];
    if (list.length === 1) return buildPreTokenizer(list[0]);
    return fail('only a single Metaspace pre-tokenizer is supported');
  }
  if (p.type !== 'Metaspace') return fail(`pre-tokenizer type ${JSON.stringify(p.type)} is not supported`);
  const replacement = String(p.replacement ?? '\u2581');
  if (replacement.length !== 1) return fail('Metaspace replacement must be one UTF-16 code unit');
  let prepend: Metaspace['prepend'] = 'always';
  if (typeof p.prepend_scheme === 'string') {
    if (p.prepend_scheme !== 'always' && p.prepend_scheme !== 'first' && p.prepend_scheme !== 'never') {
      return fail(`Metaspace prepend_scheme ${JSON.stringify(p.prepend_scheme)} is not supported`);
    }
    prepend = p.prepend_scheme;
  } else if (p.add_prefix_space === false) prepend = 'never';
  return { replacement: replacement.charCodeAt(0), prepend, split: p.split !== false };
}

export class TokenizerJsonTokenizer extends SequenceEncoder {
  readonly model: UnigramModel;
  readonly vocab: readonly string[];
  readonly addedTokens: readonly AddedToken[];
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly modelMaxLength: number | undefined;
  readonly specialIds: ReadonlySet<number>;
  private readonly normalizer: NormalizerStep[];
  private readonly pre: Metaspace | null;
  private readonly addedSorted: AddedToken[];
  private readonly bufA = new AlignedText();
  private readonly bufB = new AlignedText();
  private readonly raw = new AlignedText();
  private readonly seg: Int32Array[] = [new Int32Array(768)];

  constructor(json: Json, options: { modelMaxLength?: number } = {}) {
    super();
    const model = json.model as Json | undefined;
    if (model === undefined || model === null) fail('no "model"');
    if (model.type !== 'Unigram') fail(`model type ${JSON.stringify(model.type)} is not supported (only Unigram)`);
    if (model.byte_fallback === true) fail('Unigram byte_fallback is not supported');
    const vocab = model.vocab as [string, number][] | undefined;
    if (!Array.isArray(vocab) || vocab.length === 0) fail('Unigram model without a vocab');
    const unkId = model.unk_id;
    if (typeof unkId !== 'number' || unkId < 0 || unkId >= vocab.length) fail('Unigram model needs a valid unk_id');
    const pieces: ModelPiece[] = vocab.map((entry, i) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
        fail(`vocab entry ${i} is not a [piece, score] pair`);
      }
      return { piece: entry[0], score: entry[1], type: i === unkId ? PieceType.UNKNOWN : PieceType.NORMAL };
    });
    this.model = new UnigramModel(pieces, { scoring: 'hf' });
    this.vocab = pieces.map((p) => p.piece);
    this.unkId = unkId;
    this.addedTokens = ((json.added_tokens as AddedToken[] | undefined) ?? []).map((t) => {
      if (typeof t?.content !== 'string' || t.content.length === 0 || typeof t.id !== 'number') {
        fail('an added token needs a non-empty content and an id');
      }
      return t;
    });
    this.addedSorted = [...this.addedTokens].sort((a, b) => b.content.length - a.content.length);
    this.specialIds = new Set(this.addedTokens.filter((t) => t.special).map((t) => t.id));
    this.normalizer = buildNormalizer(json.normalizer);
    this.pre = buildPreTokenizer(json.pre_tokenizer);
    const idOf = (t: string) => {
      const added = this.addedTokens.find((a) => a.content === t);
      if (added) return added.id;
      return this.model.trie.get(t);
    };
    // post-processor: TemplateProcessing [CLS] $A [SEP] ($B [SEP])
    const post = json.post_processor as Json | null;
    let cls = idOf('[CLS]');
    let sep = idOf('[SEP]');
    if (post !== null && post !== undefined) {
      if (post.type !== 'TemplateProcessing') fail(`post-processor ${JSON.stringify(post.type)} is not supported`);
      const single = (post.single as Json[]) ?? [];
      const first = single[0]?.SpecialToken as { id: string } | undefined;
      const last = single[single.length - 1]?.SpecialToken as { id: string } | undefined;
      if (single.length !== 3 || first === undefined || last === undefined) {
        fail('TemplateProcessing must be <cls> $A <sep> (the BERT layout)');
      }
      cls = idOf(first.id);
      sep = idOf(last.id);
    }
    this.clsId = cls;
    this.sepId = sep;
    const pad = idOf('<pad>');
    this.padId = Math.max(pad, 0);
    this.modelMaxLength = options.modelMaxLength;
  }

  static fromJson(json: string | Json, options?: { modelMaxLength?: number }): TokenizerJsonTokenizer {
    let parsed: Json;
    try {
      parsed = typeof json === 'string' ? (JSON.parse(json) as Json) : json;
    } catch (e) {
      throw new ModelFormatError('tokenizer.json is not valid JSON', -1, { cause: e });
    }
    if (typeof parsed !== 'object' || parsed === null) fail('expected a JSON object');
    return new TokenizerJsonTokenizer(parsed, options);
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  /** Tokens as strings (unknown runs keep their text, as the Rust library reports them). */
  tokenize(text: string): string[] {
    const out: string[] = [];
    this.run(text, (_id, token) => out.push(token));
    return out;
  }

  encodeSequence(text: string): TokenSequence {
    const sink = new TokenSink().reset(false);
    this.run(text, (id, _t, s, e) => sink.push(id, s, e));
    return sink.toSequence();
  }

  private run(text: string, emit: (id: number, token: string, start: number, end: number) => void): void {
    if (typeof text !== 'string') throw new TokenizerInputError(`expected a string to tokenize, got ${typeof text}`);
    // 1. added tokens on the raw text: leftmost, then longest
    let last = 0;
    for (let i = 0; i < text.length; i++) {
      const tok = this.addedSorted.find((t) => text.startsWith(t.content, i));
      if (tok === undefined) continue;
      let start = i;
      let stop = i + tok.content.length;
      if (tok.lstrip) while (start > last && WHITE_SPACE.test(text[start - 1] as string)) start--;
      if (tok.rstrip) while (stop < text.length && WHITE_SPACE.test(text[stop] as string)) stop++;
      if (start > last) this.runSection(text, last, start, emit);
      emit(tok.id, text.slice(start, stop), start, stop);
      last = stop;
      i = stop - 1;
    }
    if (text.length > last) this.runSection(text, last, text.length, emit);
  }

  private runSection(
    text: string,
    from: number,
    to: number,
    emit: (id: number, token: string, start: number, end: number) => void,
  ): void {
    const raw = this.raw.setIdentity(text.slice(from, to), from);
    const norm = runSteps(this.normalizer, raw, this.bufA, this.bufB);
    const n = norm.length;
    if (n === 0) return;
    // Metaspace: spaces -> ▁, prepend ▁, split before each ▁
    const pre = this.pre;
    let units = norm;
    if (pre !== null) {
      const out = norm === this.bufA ? this.bufB : this.bufA;
      out.reset();
      const prepend = pre.prepend === 'always' || (pre.prepend === 'first' && from === 0);
      const first = norm.units[0] as number;
      if (prepend && first !== pre.replacement && first !== 0x20) {
        // Rust's prepend: the new ▁ takes the first character's range
        const w = first >= 0xd800 && first <= 0xdbff && n > 1 ? 2 : 1;
        out.push(pre.replacement, norm.start[0] as number, norm.end[w - 1] as number);
      }
      for (let i = 0; i < n; i++) {
        const c = norm.units[i] as number;
        out.push(c === 0x20 ? pre.replacement : c, norm.start[i] as number, norm.end[i] as number);
      }
      units = out;
    }
    const u = units.units;
    let start = 0;
    for (let i = 1; i <= units.length; i++) {
      if (i === units.length || (pre?.split && u[i] === pre.replacement)) {
        this.runWord(units, start, i, emit);
        start = i;
      }
    }
  }

  private runWord(
    units: AlignedText,
    from: number,
    to: number,
    emit: (id: number, token: string, start: number, end: number) => void,
  ): void {
    const count = this.model.viterbi(units.units, from, to, this.seg);
    const seg = this.seg[0] as Int32Array;
    const unk = this.unkId;
    // fuse runs of unknown pieces, as the Rust Unigram (fuse_unk) does
    for (let k = 0; k < count; k++) {
      const s = seg[3 * k] as number;
      let e = seg[3 * k + 1] as number;
      const id = seg[3 * k + 2] as number;
      if (id === unk) while (k + 1 < count && seg[3 * (k + 1) + 2] === unk) e = seg[3 * ++k + 1] as number;
      emit(id, units.toString(s, e), units.start[s] as number, units.end[e - 1] as number);
    }
  }

  convertIdsToTokens(ids: ArrayLike<number>, skipSpecialTokens = false): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (skipSpecialTokens && this.specialIds.has(id)) continue;
      const added = this.addedTokens.find((t) => t.id === id);
      const piece = added?.content ?? this.vocab[id];
      if (piece === undefined) throw new TokenizerInputError(`id ${id} is out of range [0, ${this.vocabSize})`);
      out.push(piece);
    }
    return out;
  }

  /** Decodes with the Metaspace decoder (▁ -> space, the first token's prefix space dropped). */
  decode(ids: ArrayLike<number>, options: { skipSpecialTokens?: boolean } = {}): string {
    const tokens = this.convertIdsToTokens(ids, options.skipSpecialTokens ?? false);
    const r = String.fromCharCode(this.pre?.replacement ?? SPACE_SYMBOL);
    return tokens
      .map((t, i) => {
        const s = t.replaceAll(r, ' ');
        return i === 0 && this.pre?.prepend !== 'never' && s.startsWith(' ') ? s.slice(1) : s;
      })
      .join('');
  }
}
