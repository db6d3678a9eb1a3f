import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbertError, ModelFormatError } from '../errors.js';
import { type ModelProto, PieceType, parseModelProto, serializeModelProto } from './model-proto.js';

const modelBytes = new Uint8Array(readFileSync(new URL('../../test/fixtures/albert-30k.model', import.meta.url)));

describe('ModelProto', () => {
  it('reads the ALBERT model', () => {
    const m = parseModelProto(modelBytes);
    expect(m.pieces.length).toBe(30000);
    expect(m.pieces.slice(0, 6).map((p) => [p.piece, p.type])).toEqual([
      ['<pad>', PieceType.CONTROL],
      ['<unk>', PieceType.UNKNOWN],
      ['[CLS]', PieceType.CONTROL],
      ['[SEP]', PieceType.CONTROL],
      ['[MASK]', PieceType.CONTROL],
      ['(', PieceType.USER_DEFINED],
    ]);
    expect(m.pieces[13]).toEqual({ piece: '▁', score: Math.fround(-2.188971), type: PieceType.NORMAL });
    expect(m.pieces[29999]?.piece).toBe('▁eloquent');
    expect(m.trainerSpec.vocabSize).toBe(30000);
    expect(m.trainerSpec.unkId).toBe(1);
    expect(m.trainerSpec.bosId).toBe(-1);
    expect(m.trainerSpec.padId).toBe(0);
    expect(m.trainerSpec.controlSymbols).toEqual(['[CLS]', '[SEP]', '[MASK]']);
    expect(m.normalizerSpec.name).toBe('nmt_nfkc');
    expect(m.normalizerSpec.precompiledCharsmap?.length).toBe(237539);
    expect(m.normalizerSpec.addDummyPrefix).toBe(true);
    expect(m.normalizerSpec.escapeWhitespaces).toBeUndefined();
  });

  it('round-trips the real file byte for byte', () => {
    const out = serializeModelProto(parseModelProto(modelBytes));
    expect(out.length).toBe(modelBytes.length);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(modelBytes))).toBe(0);
  });

  it('writes a model built from scratch that reads back equal', () => {
    const model: ModelProto = {
      pieces: [
        { piece: '<unk>', score: 0, type: PieceType.UNKNOWN },
        { piece: '▁a', score: -1.5, type: PieceType.NORMAL },
        { piece: 'b', score: -2.25, type: PieceType.NORMAL },
      ],
      trainerSpec: { vocabSize: 3, unkId: 0, bosId: -1, inputSentenceSize: 2 ** 40 },
      normalizerSpec: { name: 'identity', addDummyPrefix: false },
    };
    const back = parseModelProto(serializeModelProto(model));
    expect(back).toEqual(model);
  });

  it('preserves unknown fields', () => {
    // ModelProto field 99 (varint 7) and a piece extension field 200 (string "x").
    const base = serializeModelProto({
      pieces: [{ piece: '<unk>', score: 0, type: PieceType.UNKNOWN }],
      trainerSpec: {},
      normalizerSpec: {},
    });
    const extra = new Uint8Array([0x98, 0x06, 0x07]);
    const withUnknown = new Uint8Array([...base, ...extra]);
    const m = parseModelProto(withUnknown);
    expect(m.unknownFields).toEqual(extra);
    expect(serializeModelProto(m)).toEqual(withUnknown);
  });

  it('rejects truncated files with the offset', () => {
    for (const cut of [1, 5, 100, 522447, 522730 + 1000, modelBytes.length - 1]) {
      let err: unknown;
      try {
        parseModelProto(modelBytes.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelFormatError);
      expect(err).toBeInstanceOf(AlbertError);
      expect((err as ModelFormatError).message).toMatch(/byte offset \d+/);
    }
  });

  it('rejects a wrong magic / non-model file', () => {
    expect(() => parseModelProto(new TextEncoder().encode('{"model": {"type": "Unigram"}}'))).toThrow(ModelFormatError);
    expect(() => parseModelProto(new Uint8Array(0))).toThrow(/empty/);
  });

  it('rejects a piece table without <unk>', () => {
    const m = parseModelProto(modelBytes);
    const noUnk = { ...m, pieces: m.pieces.filter((p) => p.type !== PieceType.UNKNOWN) };
    expect(() => parseModelProto(serializeModelProto(noUnk))).toThrow(/no <unk> piece/);
  });
});
