// Corrupt .model files give AlbertError subclasses (ModelFormatError), never another exception, a
// partial model or a hang: 1000 random truncations and byte mutations of the real file, parsed (and
// loaded into a tokenizer when they still parse), plus 300 mutations of its precompiled charsmap.
import { randomFloat, rngFor } from '@albert-ts/common';
// A hang is caught by the test timeout (vitest's 120 s); no speed is asserted.
import { describe, expect, it } from 'vitest';
import {
  AlbertError,
  AlbertTokenizer,
  ModelFormatError,
  parseModelProto,
  SentencePieceNormalizer,
  SentencePieceProcessor,
} from '../src/index.js';
import { readBytes } from './load.js';

const model = readBytes('albert-30k.model');

// deterministic uniforms in [0, 1) from albert-ts's one seeded generator
function rng(seed: number): () => number {
  const g = rngFor(seed);
  return () => randomFloat(g);
}

function expectOnlyAlbertErrors(run: () => void): 'ok' | 'error' {
  try {
    run();
    return 'ok';
  } catch (e) {
    if (!(e instanceof AlbertError)) throw new Error(`non-AlbertError thrown: ${String(e)}`, { cause: e });
    expect((e as Error).message.length).toBeGreaterThan(10);
    return 'error';
  }
}

describe('fuzzing the real .model', () => {
  it('1000 truncations and mutations give ModelFormatError or a working model', () => {
    const random = rng(1126);
    let errors = 0;
    let loaded = 0;
    for (let i = 0; i < 1000; i++) {
      const bytes = model.slice();
      let input: Uint8Array;
      if (i % 3 === 0) {
        input = bytes.subarray(0, Math.floor(random() * bytes.length));
      } else if (i % 3 === 1) {
        const flips = 1 + Math.floor(random() * 4);
        for (let k = 0; k < flips; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        input = bytes;
      } else {
        // hit structure: a tag or length byte near the start of a piece or of a spec
        const at = random() < 0.5 ? Math.floor(random() * 2000) : 522440 + Math.floor(random() * 400);
        bytes[at] = [0x00, 0xff, 0x7f, 0x80, 0x0a, 0x12, 0x1a][Math.floor(random() * 7)] as number;
        input = bytes;
      }
      let parsed: ReturnType<typeof parseModelProto> | undefined;
      const outcome = expectOnlyAlbertErrors(() => {
        parsed = parseModelProto(input);
      });
      if (outcome === 'error') {
        errors++;
        continue;
      }
      // a model that still parses: every piece is whole, and (for a few) it loads and encodes
      expect(parsed?.pieces.length).toBeGreaterThan(0);
      if (loaded < 12) {
        loaded++;
        expectOnlyAlbertErrors(() => {
          const tok = new AlbertTokenizer(parsed as NonNullable<typeof parsed>);
          tok.encode('Héllo, wörld! 1,000 [MASK] ½ ﬁ 東京', 'second text');
        });
      }
    }
    expect(errors).toBeGreaterThan(300); // truncations alone
  });

  it('300 mutations of the precompiled charsmap give ModelFormatError or a working normalizer', () => {
    const parsed = parseModelProto(model);
    const blob = parsed.normalizerSpec.precompiledCharsmap as Uint8Array;
    const random = rng(2611);
    const text = 'Ｈｅｌｌｏ\u3000wörld ½ ﬁ Ⅻ 東京 \u0001\t😀 e\u0301';
    let worked = 0;
    for (let i = 0; i < 300; i++) {
      const b = blob.slice();
      if (i % 4 === 0) {
        const cut = Math.floor(random() * b.length);
        const outcome = expectOnlyAlbertErrors(() =>
          new SentencePieceNormalizer({ precompiledCharsmap: b.subarray(0, cut) }).normalize(text),
        );
        if (outcome === 'ok') worked++;
        continue;
      }
      const flips = 1 + Math.floor(random() * 16);
      for (let k = 0; k < flips; k++) {
        // the header, the trie, or the replacement strings
        const at = k === 0 && i % 4 === 1 ? Math.floor(random() * 4) : Math.floor(random() * b.length);
        b[at] = Math.floor(random() * 256);
      }
      const outcome = expectOnlyAlbertErrors(() => {
        new SentencePieceNormalizer({ precompiledCharsmap: b }).normalize(text);
      });
      if (outcome === 'ok') worked++;
    }
    expect(worked).toBeGreaterThan(0);
  });

  it('named failures: truncated file, wrong magic, no <unk>, duplicate piece', () => {
    expect(() => parseModelProto(model.subarray(0, 1000))).toThrow(ModelFormatError);
    expect(() => parseModelProto(model.subarray(0, 1000))).toThrow(/byte offset \d+/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(() => parseModelProto(png)).toThrow(ModelFormatError);
    const m = parseModelProto(model);
    expect(
      () => new SentencePieceProcessor({ ...m, pieces: m.pieces.map((p) => (p.type === 2 ? { ...p, type: 1 } : p)) }),
    ).toThrow(/no <unk>/);
    expect(
      () => new SentencePieceProcessor({ ...m, pieces: [...m.pieces, { ...(m.pieces[20] as (typeof m.pieces)[0]) }] }),
    ).toThrow(/already defined/);
  });
});
