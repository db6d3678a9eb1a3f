// The normalizer's other settings (no dummy prefix, extra whitespace kept, whitespace as suffix)
// against SentencePiece's C++ library on models patched in place (scripts/gen-sp-fixture.py).
import { describe, expect, it } from 'vitest';
import { readBytes, readJsonl } from '../../test/load.js';
import { type ModelProto, parseModelProto, serializeModelProto } from '../model/model-proto.js';
import { SentencePieceProcessor } from '../processor.js';

const base = readBytes('albert-30k.model');
const model = parseModelProto(base);
const variants: Record<string, ModelProto> = {
  no_dummy_prefix: { ...model, normalizerSpec: { ...model.normalizerSpec, addDummyPrefix: false } },
  keep_extra_whitespaces: { ...model, normalizerSpec: { ...model.normalizerSpec, removeExtraWhitespaces: false } },
  no_dummy_keep_whitespaces: {
    ...model,
    normalizerSpec: { ...model.normalizerSpec, addDummyPrefix: false, removeExtraWhitespaces: false },
  },
  whitespace_as_suffix: { ...model, trainerSpec: { ...model.trainerSpec, treatWhitespaceAsSuffix: true } },
};
const cases = readJsonl<{ variant: string; text: string; pieces: string[]; ids: number[] }>('sp-variants.jsonl');

describe('normalizer settings vs SentencePiece', () => {
  it('our writer produces the same bytes as the script’s in-place patches', () => {
    const patch = (dummy: number, extra: number, tws: number) => {
      const b = base.slice();
      b[b.length - 5] = dummy;
      b[b.length - 3] = extra;
      b[522590] = tws; // trainer_spec field 24 (0xc0 0x01) value
      return b;
    };
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
    expect(same(serializeModelProto(variants.no_dummy_prefix as ModelProto), patch(0, 1, 0))).toBe(true);
    expect(same(serializeModelProto(variants.keep_extra_whitespaces as ModelProto), patch(1, 0, 0))).toBe(true);
    expect(same(serializeModelProto(variants.whitespace_as_suffix as ModelProto), patch(1, 1, 1))).toBe(true);
    expect(same(serializeModelProto(model), patch(1, 1, 1))).toBe(false);
  });

  for (const [name, m] of Object.entries(variants)) {
    it(`${name}: same pieces and ids`, () => {
      const sp = new SentencePieceProcessor(m);
      const mine = cases.filter((c) => c.variant === name);
      expect(mine.length).toBe(158);
      for (const c of mine) {
        const e = sp.encode(c.text);
        expect({ text: c.text, pieces: e.pieces, ids: e.ids }).toEqual({ text: c.text, pieces: c.pieces, ids: c.ids });
      }
    });
  }
});
