// SentencePieceProcessor: a `.model` file's normalizer + unigram model, like SentencePiece's own
// class of that name (Python: sentencepiece.SentencePieceProcessor). Encodes to ids or pieces with
// offsets into the input, decodes, and gives n-best segmentations.

import { ModelFormatError, TokenizerInputError } from './errors.js';
import { type ModelProto, PieceType, parseModelProto } from './model/model-proto.js';
import { nbestSegmentations } from './model/nbest.js';
import { UnigramModel } from './model/unigram.js';
import { AlignedText } from './normalizer/aligned.js';
import { SentencePieceNormalizer } from './normalizer/sp-normalizer.js';

export interface SentencePieceEncoding {
  ids: number[];
  pieces: string[];
  /** [start, end) of each piece in the input string (UTF-16 indices) */
  offsets: [number, number][];
}

const SPACE_SYMBOL = '\u2581';

export class SentencePieceProcessor {
  readonly model: ModelProto;
  readonly unigram: UnigramModel;
  readonly normalizer: SentencePieceNormalizer;
  readonly unkSurface: string;

  // reused buffers
  private readonly inBuf = new AlignedText();
  private readonly normBuf = new AlignedText();
  private segBuf: Int32Array[] = [new Int32Array(768)];

  constructor(model: ModelProto) {
    const type = model.trainerSpec.modelType ?? 1;
    if (type !== 1) {
      throw new ModelFormatError(
        `model_type ${type} is not supported: this processor implements the unigram model (type 1) only`,
      );
    }
    this.model = model;
    this.unigram = new UnigramModel(model.pieces);
    this.normalizer = new SentencePieceNormalizer(model.normalizerSpec, model.trainerSpec, this.unigram.userDefined);
    this.unkSurface = model.trainerSpec.unkSurface ?? ' \u2047 ';
  }

  /** Gives back the memory of buffers grown by a huge input. */
  releaseBuffers(): void {
    this.inBuf.shrink();
    this.normBuf.shrink();
    if ((this.segBuf[0] as Int32Array).length > 1 << 20) this.segBuf = [new Int32Array(768)];
    this.unigram.shrink();
  }

  /** Reads a `.model` file's bytes. */
  static fromBytes(bytes: Uint8Array): SentencePieceProcessor {
    return new SentencePieceProcessor(parseModelProto(bytes));
  }

  /** Reads a `.model` file (Node only). */
  static async fromFile(path: string): Promise<SentencePieceProcessor> {
    const { readFile } = await import('node:fs/promises');
    return SentencePieceProcessor.fromBytes(new Uint8Array(await readFile(path)));
  }

  get vocabSize(): number {
    return this.model.pieces.length;
  }
  get unkId(): number {
    return this.unigram.unkId;
  }

  pieceToId(piece: string): number {
    return this.unigram.pieceToId(piece);
  }

  idToPiece(id: number): string {
    const p = this.model.pieces[id];
    if (p === undefined) throw new TokenizerInputError(`id ${id} is out of range [0, ${this.vocabSize})`);
    return p.piece;
  }

  isControl(id: number): boolean {
    return this.unigram.types[id] === PieceType.CONTROL;
  }
  isUnknown(id: number): boolean {
    return this.unigram.types[id] === PieceType.UNKNOWN;
  }

  /** The normalized text SentencePiece segments (with ▁ for spaces). */
  normalize(text: string): string {
    this.normalizer.normalizeAligned(this.inBuf.setIdentity(text), this.normBuf);
    return this.normBuf.toString();
  }

  /**
   * Segments already-aligned text: normalizes `input` into `norm` and runs Viterbi. Returns the
   * number of pieces; piece k is norm.units[seg[3k], seg[3k+1]) with id seg[3k+2]. Runs of unknown
   * characters are fused into one <unk> piece, as SentencePiece does.
   */
  segmentAligned(input: AlignedText, norm: AlignedText): { count: number; seg: Int32Array } {
    this.normalizer.normalizeAligned(input, norm);
    const n = this.unigram.viterbi(norm.units, 0, norm.length, this.segBuf);
    const seg = this.segBuf[0] as Int32Array;
    const unk = this.unigram.unkId;
    let w = 0;
    for (let r = 0; r < n; r++) {
      const id = seg[3 * r + 2] as number;
      if (id === unk && w > 0 && seg[3 * (w - 1) + 2] === unk) {
        seg[3 * (w - 1) + 1] = seg[3 * r + 1] as number;
        continue;
      }
      seg[3 * w] = seg[3 * r] as number;
      seg[3 * w + 1] = seg[3 * r + 1] as number;
      seg[3 * w + 2] = id;
      w++;
    }
    return { count: w, seg };
  }

  /** Encodes text: ids, pieces (unknown runs keep their text, as SentencePiece returns them) and offsets. */
  encode(text: string): SentencePieceEncoding {
    const { count, seg } = this.segmentAligned(this.inBuf.setIdentity(text), this.normBuf);
    const norm = this.normBuf;
    const ids: number[] = [];
    const pieces: string[] = [];
    const offsets: [number, number][] = [];
    for (let k = 0; k < count; k++) {
      const s = seg[3 * k] as number;
      const e = seg[3 * k + 1] as number;
      ids.push(seg[3 * k + 2] as number);
      pieces.push(norm.toString(s, e));
      offsets.push(spanOf(norm, s, e));
    }
    return { ids, pieces, offsets };
  }

  encodeAsIds(text: string): number[] {
    return this.encode(text).ids;
  }

  encodeAsPieces(text: string): string[] {
    return this.encode(text).pieces;
  }

  /** The n best segmentations, best first (SentencePiece's nbest_encode, A* over the lattice). */
  nbestEncode(text: string, nbestSize: number): { ids: number[]; pieces: string[]; score: number }[] {
    const norm = this.normBuf;
    this.normalizer.normalizeAligned(this.inBuf.setIdentity(text), norm);
    const normalized = norm.toString();
    const unk = this.unigram.unkId;
    return nbestSegmentations(this.unigram, normalized, nbestSize).map((path) => {
      const ids: number[] = [];
      const pieces: string[] = [];
      let start = 0;
      path.ids.forEach((id, k) => {
        const end = path.ends[k] as number;
        const piece = normalized.slice(start, end);
        start = end;
        if (id === unk && ids.length > 0 && ids[ids.length - 1] === unk) {
          pieces[pieces.length - 1] += piece;
        } else {
          ids.push(id);
          pieces.push(piece);
        }
      });
      return { ids, pieces, score: path.score };
    });
  }

  /** Decodes pieces (strings) like SentencePiece's DecodePieces. */
  decodePieces(pieces: readonly string[]): string {
    let text = '';
    const addDummy = this.model.normalizerSpec.addDummyPrefix ?? true;
    const removeExtra = this.model.normalizerSpec.removeExtraWhitespaces ?? true;
    for (const piece of pieces) {
      const id = this.pieceToId(piece);
      const type = this.unigram.types[id];
      if (type === PieceType.CONTROL) continue;
      if (type === PieceType.UNKNOWN) {
        text += piece === this.idToPiece(id) ? this.unkSurface : piece;
        continue;
      }
      let p = piece;
      // SentencePiece 0.1.x: a leading ▁ is dropped while nothing has been written yet
      if (text.length === 0 && (addDummy || removeExtra) && p.startsWith(SPACE_SYMBOL)) p = p.slice(1);
      text += p.replaceAll(SPACE_SYMBOL, ' ');
    }
    return text;
  }

  /** Decodes ids like SentencePiece's DecodeIds. */
  decode(ids: readonly number[] | Int32Array): string {
    const pieces: string[] = [];
    for (const id of ids) pieces.push(this.idToPiece(id));
    return this.decodePieces(pieces);
  }
}

/** Original [start, end) of normalized units [s, e). */
export function spanOf(norm: AlignedText, s: number, e: number): [number, number] {
  return [norm.start[s] as number, norm.end[e - 1] as number];
}
