// SentencePieceProcessor against SentencePiece's C++ library (fixtures written by
// scripts/gen-sp-fixture.py and the shared n-best fixture).
import { describe, expect, it } from 'vitest';
import { albert, readJsonl } from '../test/load.js';

interface SpCase {
  text: string;
  pieces: string[];
  ids: number[];
  offsets_utf16: [number, number][];
  nbest3?: number[][];
}
const cases = readJsonl<SpCase>('sp-random.jsonl');

describe('SentencePieceProcessor', () => {
  const sp = () => albert().sp;

  it('gives SentencePiece’s pieces and ids on 1060 random and Gutenberg texts', () => {
    expect(cases.length).toBe(1060);
    let bad = 0;
    for (const c of cases) {
      const enc = sp().encode(c.text);
      if (
        JSON.stringify(enc.pieces) !== JSON.stringify(c.pieces) ||
        JSON.stringify(enc.ids) !== JSON.stringify(c.ids)
      ) {
        bad++;
        expect({ text: c.text, pieces: enc.pieces, ids: enc.ids }).toEqual({
          text: c.text,
          pieces: c.pieces,
          ids: c.ids,
        });
      }
    }
    expect(bad).toBe(0);
  });

  it('gives SentencePiece’s offsets, except inside one character’s expansion (we give the whole character)', () => {
    let same = 0;
    let total = 0;
    for (const c of cases) {
      const enc = sp().encode(c.text);
      enc.offsets.forEach(([s, e], i) => {
        total++;
        const [rs, re] = c.offsets_utf16[i] as [number, number];
        if (s === rs && e === re) same++;
        else {
          // SentencePiece gives a piece that ends inside a multi-character expansion (½ -> 1⁄2) an
          // end at the character's start; we give it the whole character
          expect(s).toBeLessThanOrEqual(rs);
          expect(e).toBeGreaterThanOrEqual(re);
        }
      });
    }
    expect(same / total).toBeGreaterThan(0.97);
  });

  it('n-best (3) equals SentencePiece’s on the shared fixture and random texts', () => {
    interface NBest {
      sp_input: string;
      nbest_size: number;
      nbest: { pieces: string[]; ids: number[] }[];
    }
    const shared = readJsonl<NBest>('albert-30k.nbest.jsonl');
    expect(shared.length).toBe(20);
    for (const c of shared) {
      const got = sp()
        .nbestEncode(c.sp_input, c.nbest_size)
        .map((r) => ({ pieces: r.pieces, ids: r.ids }));
      expect(got).toEqual(c.nbest);
    }
    let checked = 0;
    for (const c of cases) {
      if (c.nbest3 === undefined) continue;
      checked++;
      expect(
        sp()
          .nbestEncode(c.text, 3)
          .map((r) => r.ids),
        c.text,
      ).toEqual(c.nbest3);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('decodes like SentencePiece 0.1.97', () => {
    expect(sp().decodePieces(['▁', '▁a'])).toBe('a');
    expect(sp().decodePieces(['▁a', '▁b'])).toBe('a b');
    expect(sp().decodePieces(['<unk>', '▁a'])).toBe(' ⁇  a');
    expect(sp().decodePieces(['xyz♥', '▁a'])).toBe('xyz♥ a');
    expect(sp().decodePieces(['<pad>', '▁a'])).toBe('a');
    expect(sp().decode([14, 2231, 886])).toBe('the quick brown');
  });

  it('normalizes with the model’s nmt_nfkc charsmap', () => {
    expect(sp().normalize('  Ｈｅｌｌｏ\u3000 ﬁ  world\t ')).toBe('▁Hello▁fi▁world');
    expect(sp().normalize('\u0001\u0002')).toBe('');
    expect(sp().normalize('a\u200bb')).toBe('▁a▁b');
    expect(sp().normalize('x\u00a0\u00a0y')).toBe('▁x▁y');
    expect(sp().normalize('①②')).toBe('▁12');
    expect(sp().normalize('Ⅻ')).toBe('▁XII');
  });
});
