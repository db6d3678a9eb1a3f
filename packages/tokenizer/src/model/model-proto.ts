// SentencePiece's ModelProto (the `.model` file): a deliberately tiny proto2 reader/writer.
//
// Field numbers are facts from sentencepiece_model.proto (github.com/google/sentencepiece,
// src/sentencepiece_model.proto). Presence is kept (proto2): a field is written iff its property is
// defined, known fields in field-number order as protobuf-C++ writes them, unknown fields (and the
// SentencePiece `extensions 200 to max`) kept as raw bytes and written after the known ones.
// So read -> write is byte-identical for files written by spm_train / protobuf-C++.

import { WIRE_FIXED32, WIRE_LEN, WIRE_VARINT, WireReader, WireWriter } from '@albert-ts/common';
import { ModelFormatError } from '../errors.js';

export enum PieceType {
  NORMAL = 1,
  UNKNOWN = 2,
  CONTROL = 3,
  USER_DEFINED = 4,
  UNUSED = 5,
  BYTE = 6,
}

export interface ModelPiece {
  piece: string;
  score: number;
  type: PieceType;
  /** Raw bytes of fields this reader does not know (round-tripped verbatim). */
  unknownFields?: Uint8Array;
}

export interface TrainerSpec {
  input?: string[];
  inputFormat?: string;
  modelPrefix?: string;
  /** 1 UNIGRAM, 2 BPE, 3 WORD, 4 CHAR */
  modelType?: number;
  vocabSize?: number;
  acceptLanguage?: string[];
  selfTestSampleSize?: number;
  characterCoverage?: number;
  inputSentenceSize?: number;
  miningSentenceSize?: number;
  trainingSentenceSize?: number;
  seedSentencepieceSize?: number;
  shrinkingFactor?: number;
  numThreads?: number;
  numSubIterations?: number;
  maxSentenceLength?: number;
  shuffleInputSentence?: boolean;
  maxSentencepieceLength?: number;
  splitByUnicodeScript?: boolean;
  splitByWhitespace?: boolean;
  splitByNumber?: boolean;
  treatWhitespaceAsSuffix?: boolean;
  splitDigits?: boolean;
  allowWhitespaceOnlyPieces?: boolean;
  controlSymbols?: string[];
  userDefinedSymbols?: string[];
  vocabularyOutputPieceScore?: boolean;
  hardVocabLimit?: boolean;
  useAllVocab?: boolean;
  byteFallback?: boolean;
  requiredChars?: string;
  unkId?: number;
  bosId?: number;
  eosId?: number;
  padId?: number;
  unkSurface?: string;
  unkPiece?: string;
  bosPiece?: string;
  eosPiece?: string;
  padPiece?: string;
  trainExtremelyLargeCorpus?: boolean;
  enableDifferentialPrivacy?: boolean;
  differentialPrivacyNoiseLevel?: number;
  differentialPrivacyClippingThreshold?: number;
  pretokenizationDelimiter?: string;
  seedSentencepiecesFile?: string;
  unknownFields?: Uint8Array;
}

export interface NormalizerSpec {
  name?: string;
  precompiledCharsmap?: Uint8Array;
  addDummyPrefix?: boolean;
  removeExtraWhitespaces?: boolean;
  escapeWhitespaces?: boolean;
  normalizationRuleTsv?: string;
  unknownFields?: Uint8Array;
}

export interface SelfTestSample {
  input?: string;
  expected?: string;
  unknownFields?: Uint8Array;
}

export interface SelfTestData {
  samples?: SelfTestSample[];
  unknownFields?: Uint8Array;
}

export interface ModelProto {
  pieces: ModelPiece[];
  trainerSpec: TrainerSpec;
  normalizerSpec: NormalizerSpec;
  selfTestData?: SelfTestData;
  denormalizerSpec?: NormalizerSpec;
  unknownFields?: Uint8Array;
}

// ---- schema ------------------------------------------------------------------------------------

type Kind = 'string' | 'bytes' | 'int32' | 'uint64' | 'float' | 'bool' | 'message';
interface FieldDef {
  num: number;
  key: string;
  kind: Kind;
  repeated?: boolean;
  message?: MessageDef;
}
interface MessageDef {
  name: string;
  fields: FieldDef[]; // sorted by field number
  byNum: Map<number, FieldDef>;
}

function message(name: string, fields: [number, string, Kind, ('repeated' | MessageDef)?, MessageDef?][]): MessageDef {
  const defs: FieldDef[] = fields.map(([num, key, kind, a, b]) => ({
    num,
    key,
    kind,
    repeated: a === 'repeated',
    message: typeof a === 'object' ? a : b,
  }));
  defs.sort((x, y) => x.num - y.num);
  return { name, fields: defs, byNum: new Map(defs.map((d) => [d.num, d])) };
}

const TRAINER_SPEC = message('TrainerSpec', [
  [1, 'input', 'string', 'repeated'],
  [2, 'modelPrefix', 'string'],
  [3, 'modelType', 'int32'],
  [4, 'vocabSize', 'int32'],
  [5, 'acceptLanguage', 'string', 'repeated'],
  [6, 'selfTestSampleSize', 'int32'],
  [7, 'inputFormat', 'string'],
  [10, 'characterCoverage', 'float'],
  [11, 'inputSentenceSize', 'uint64'],
  [12, 'miningSentenceSize', 'int32'],
  [13, 'trainingSentenceSize', 'int32'],
  [14, 'seedSentencepieceSize', 'int32'],
  [15, 'shrinkingFactor', 'float'],
  [16, 'numThreads', 'int32'],
  [17, 'numSubIterations', 'int32'],
  [18, 'maxSentenceLength', 'int32'],
  [19, 'shuffleInputSentence', 'bool'],
  [20, 'maxSentencepieceLength', 'int32'],
  [21, 'splitByUnicodeScript', 'bool'],
  [22, 'splitByWhitespace', 'bool'],
  [23, 'splitByNumber', 'bool'],
  [24, 'treatWhitespaceAsSuffix', 'bool'],
  [25, 'splitDigits', 'bool'],
  [26, 'allowWhitespaceOnlyPieces', 'bool'],
  [30, 'controlSymbols', 'string', 'repeated'],
  [31, 'userDefinedSymbols', 'string', 'repeated'],
  [32, 'vocabularyOutputPieceScore', 'bool'],
  [33, 'hardVocabLimit', 'bool'],
  [34, 'useAllVocab', 'bool'],
  [35, 'byteFallback', 'bool'],
  [36, 'requiredChars', 'string'],
  [40, 'unkId', 'int32'],
  [41, 'bosId', 'int32'],
  [42, 'eosId', 'int32'],
  [43, 'padId', 'int32'],
  [44, 'unkSurface', 'string'],
  [45, 'unkPiece', 'string'],
  [46, 'bosPiece', 'string'],
  [47, 'eosPiece', 'string'],
  [48, 'padPiece', 'string'],
  [49, 'trainExtremelyLargeCorpus', 'bool'],
  [50, 'enableDifferentialPrivacy', 'bool'],
  [51, 'differentialPrivacyNoiseLevel', 'float'],
  [52, 'differentialPrivacyClippingThreshold', 'uint64'],
  [53, 'pretokenizationDelimiter', 'string'],
  [54, 'seedSentencepiecesFile', 'string'],
]);

const NORMALIZER_SPEC = message('NormalizerSpec', [
  [1, 'name', 'string'],
  [2, 'precompiledCharsmap', 'bytes'],
  [3, 'addDummyPrefix', 'bool'],
  [4, 'removeExtraWhitespaces', 'bool'],
  [5, 'escapeWhitespaces', 'bool'],
  [6, 'normalizationRuleTsv', 'string'],
]);

const SAMPLE = message('SelfTestData.Sample', [
  [1, 'input', 'string'],
  [2, 'expected', 'string'],
]);
const SELF_TEST_DATA = message('SelfTestData', [[1, 'samples', 'message', 'repeated', SAMPLE]]);

const PIECE = message('SentencePiece', [
  [1, 'piece', 'string'],
  [2, 'score', 'float'],
  [3, 'type', 'int32'],
]);

const PIECE_STRING = PIECE.byNum.get(1) as FieldDef;

const MODEL = message('ModelProto', [
  [1, 'pieces', 'message', 'repeated', PIECE],
  [2, 'trainerSpec', 'message', TRAINER_SPEC],
  [3, 'normalizerSpec', 'message', NORMALIZER_SPEC],
  [4, 'selfTestData', 'message', SELF_TEST_DATA],
  [5, 'denormalizerSpec', 'message', NORMALIZER_SPEC],
]);

function wireTypeOf(kind: Kind): number {
  if (kind === 'float') return WIRE_FIXED32;
  if (kind === 'int32' || kind === 'uint64' || kind === 'bool') return WIRE_VARINT;
  return WIRE_LEN;
}

// ---- decode ------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type Message = Record<string, unknown>;

function decodeMessage(r: WireReader, end: number, def: MessageDef): Message {
  const out: Message = {};
  const unknown: Uint8Array[] = [];
  while (r.pos < end) {
    const tagPos = r.pos;
    const tag = r.uint(end);
    const wireType = tag & 7;
    const num = Math.floor(tag / 8);
    if (num === 0) throw new ModelFormatError(`${def.name}: field number 0 is invalid`, tagPos);
    const field = def.byNum.get(num);
    if (field === undefined) {
      r.skip(wireType, num, end);
      unknown.push(r.bytes.subarray(tagPos, r.pos));
      continue;
    }
    if (wireType !== wireTypeOf(field.kind)) {
      throw new ModelFormatError(
        `${def.name}.${field.key} (field ${num}) has wire type ${wireType}, expected ${wireTypeOf(field.kind)}`,
        tagPos,
      );
    }
    const value = decodeValue(r, end, field);
    if (field.repeated) {
      const list = (out[field.key] as unknown[] | undefined) ?? [];
      list.push(value);
      out[field.key] = list;
    } else if (field.kind === 'message' && out[field.key] !== undefined) {
      // proto2 merges repeated occurrences of a singular message; such files are not ours to
      // round-trip, and spm never writes them.
      throw new ModelFormatError(`${def.name}.${field.key} appears twice`, tagPos);
    } else {
      out[field.key] = value;
    }
  }
  if (r.pos !== end) throw new ModelFormatError(`${def.name} overruns its length`, r.pos);
  if (unknown.length > 0) out.unknownFields = concat(unknown);
  return out;
}

/** SentencePiece messages (30k of them in a model), straight to ModelPiece. */
function decodePiece(r: WireReader, end: number): ModelPiece {
  let piece: string | undefined;
  let score: number | undefined;
  let type: number | undefined;
  let unknown: Uint8Array[] | null = null;
  const bytes = r.bytes;
  while (r.pos < end) {
    const tagPos = r.pos;
    const tag = (bytes[tagPos] as number) < 0x80 ? (bytes[r.pos++] as number) : r.uint(end);
    if (tag === 0x0a) piece = decodeValue(r, end, PIECE_STRING) as string;
    else if (tag === 0x15) score = r.fixed32Float(end);
    else if (tag === 0x18) type = r.int32(end);
    else {
      const num = Math.floor(tag / 8);
      if (num === 0) throw new ModelFormatError('SentencePiece: field number 0 is invalid', tagPos);
      if (num <= 3) {
        throw new ModelFormatError(`SentencePiece field ${num} has the wrong wire type ${tag & 7}`, tagPos);
      }
      r.skip(tag & 7, num, end);
      unknown ??= [];
      unknown.push(bytes.subarray(tagPos, r.pos));
    }
  }
  if (r.pos !== end) throw new ModelFormatError('SentencePiece overruns its length', r.pos);
  const out: ModelPiece = { piece: piece ?? '', score: score ?? 0, type: type ?? PieceType.NORMAL };
  if (unknown !== null) out.unknownFields = concat(unknown);
  if (piece === undefined || score === undefined || (type !== undefined) !== (out.type !== PieceType.NORMAL)) {
    piecePresence.set(out, { piece: piece !== undefined, score: score !== undefined, type: type !== undefined });
  }
  return out;
}

function decodeValue(r: WireReader, end: number, field: FieldDef): unknown {
  switch (field.kind) {
    case 'int32':
      return r.int32(end);
    case 'uint64':
      return r.uint(end);
    case 'bool': {
      const at = r.pos;
      const v = r.uint(end);
      if (v > 1) throw new ModelFormatError(`bool field ${field.key} has value ${v}`, at);
      return v === 1;
    }
    case 'float':
      return r.fixed32Float(end);
    case 'string': {
      const stop = r.lengthDelimited(end);
      const start = r.pos;
      r.pos = stop;
      if (stop - start <= 64) {
        // short ASCII strings (most pieces) without a TextDecoder call
        let i = start;
        while (i < stop && (r.bytes[i] as number) < 0x80) i++;
        if (i === stop) return String.fromCharCode.apply(null, r.bytes.subarray(start, stop) as unknown as number[]);
      }
      try {
        return utf8.decode(r.bytes.subarray(start, stop));
      } catch {
        throw new ModelFormatError(`string field ${field.key} is not valid UTF-8`, start);
      }
    }
    case 'bytes': {
      const stop = r.lengthDelimited(end);
      const start = r.pos;
      r.pos = stop;
      return r.bytes.slice(start, stop);
    }
    case 'message': {
      const stop = r.lengthDelimited(end);
      if (field.message === PIECE) return decodePiece(r, stop);
      return decodeMessage(r, stop, field.message as MessageDef);
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// Pieces whose file form differs from spm_train's (type written although NORMAL, or a field
// missing): remembered here so that serialize reproduces the input bytes exactly.
const piecePresence = new WeakMap<ModelPiece, { piece: boolean; score: boolean; type: boolean }>();

/**
 * Parses a SentencePiece `.model` file. Throws ModelFormatError (with the byte offset) on truncated
 * or corrupt input, and when the piece table has no `<unk>` (type UNKNOWN) piece.
 */
export function parseModelProto(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) {
    throw new ModelFormatError('parseModelProto expects a Uint8Array with the bytes of a .model file');
  }
  if (bytes.length === 0) throw new ModelFormatError('empty .model file', 0);
  const r = new WireReader(bytes, (what, offset) => new ModelFormatError(what, offset));
  const raw = decodeMessage(r, bytes.length, MODEL);
  const pieces = (raw.pieces as ModelPiece[] | undefined) ?? [];
  if (pieces.length === 0) {
    throw new ModelFormatError(
      'the .model file has no pieces: it is not a SentencePiece model (or it is truncated to nothing)',
      0,
    );
  }
  for (let i = 0; i < pieces.length; i++) {
    const t = (pieces[i] as ModelPiece).type;
    if (!(t >= PieceType.NORMAL && t <= PieceType.BYTE)) {
      throw new ModelFormatError(`piece ${i} has unknown type ${t}`);
    }
  }
  if (!pieces.some((p) => p.type === PieceType.UNKNOWN)) {
    throw new ModelFormatError(
      `the piece table (${pieces.length} pieces) has no <unk> piece of type UNKNOWN; a SentencePiece model needs exactly one`,
    );
  }
  const model: ModelProto = {
    pieces,
    trainerSpec: (raw.trainerSpec as TrainerSpec | undefined) ?? {},
    normalizerSpec: (raw.normalizerSpec as NormalizerSpec | undefined) ?? {},
  };
  if (raw.trainerSpec === undefined) absentSpecs.add(model.trainerSpec);
  if (raw.normalizerSpec === undefined) absentSpecs.add(model.normalizerSpec);
  if (raw.selfTestData !== undefined) model.selfTestData = raw.selfTestData as SelfTestData;
  if (raw.denormalizerSpec !== undefined) model.denormalizerSpec = raw.denormalizerSpec as NormalizerSpec;
  if (raw.unknownFields !== undefined) model.unknownFields = raw.unknownFields as Uint8Array;
  return model;
}

// trainerSpec/normalizerSpec objects that were absent from the file (so not written back).
const absentSpecs = new WeakSet<object>();

// ---- encode ------------------------------------------------------------------------------------

const utf8Encoder = new TextEncoder();

function encodeMessage(w: WireWriter, msg: Message, def: MessageDef): void {
  for (const field of def.fields) {
    const value = msg[field.key];
    if (value === undefined) continue;
    if (field.repeated) {
      for (const v of value as unknown[]) encodeField(w, field, v);
    } else {
      encodeField(w, field, value);
    }
  }
  const unknown = msg.unknownFields;
  if (unknown instanceof Uint8Array) w.raw(unknown);
}

function encodeField(w: WireWriter, field: FieldDef, value: unknown): void {
  w.tag(field.num, wireTypeOf(field.kind));
  switch (field.kind) {
    case 'int32':
      w.int32(value as number);
      return;
    case 'uint64':
      w.uint(value as number);
      return;
    case 'bool':
      w.uint(value ? 1 : 0);
      return;
    case 'float':
      w.float(value as number);
      return;
    case 'string': {
      const b = utf8Encoder.encode(value as string);
      w.uint(b.length);
      w.raw(b);
      return;
    }
    case 'bytes':
      w.uint((value as Uint8Array).length);
      w.raw(value as Uint8Array);
      return;
    case 'message': {
      const sub = new WireWriter();
      encodeMessage(sub, value as Message, field.message as MessageDef);
      const b = sub.finish();
      w.uint(b.length);
      w.raw(b);
      return;
    }
  }
}

/** Serializes a ModelProto; `serializeModelProto(parseModelProto(b))` equals `b` for spm files. */
export function serializeModelProto(model: ModelProto): Uint8Array {
  const w = new WireWriter();
  const sub = new WireWriter();
  for (const p of model.pieces) {
    const presence = piecePresence.get(p);
    const msg: Message = {
      piece: presence && !presence.piece ? undefined : p.piece,
      score: presence && !presence.score ? undefined : p.score,
      type: presence ? (presence.type ? p.type : undefined) : p.type === PieceType.NORMAL ? undefined : p.type,
      unknownFields: p.unknownFields,
    };
    sub.length = 0;
    encodeMessage(sub, msg, PIECE);
    w.tag(1, WIRE_LEN);
    w.uint(sub.length);
    w.raw(sub.finish());
  }
  const rest: Message = {
    trainerSpec: absentSpecs.has(model.trainerSpec) ? undefined : model.trainerSpec,
    normalizerSpec: absentSpecs.has(model.normalizerSpec) ? undefined : model.normalizerSpec,
    selfTestData: model.selfTestData,
    denormalizerSpec: model.denormalizerSpec,
    unknownFields: model.unknownFields,
  };
  encodeMessage(w, rest, MODEL);
  return w.finish();
}
