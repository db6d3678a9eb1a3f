// Character offsets: properties over fixture texts and random unicode, and agreement with Hugging
// Face's Rust tokenizers (albert-30k.offsets.jsonl) up to our documented conventions:
//  - a leading ▁ includes the whitespace it replaced (the whole run, where Rust takes one space);
//  - the dummy-prefix ▁ stands for no character: alone, it is an empty span (Rust: the next char);
//  - characters removed by normalization (combining marks, U+FE0F, the first ` of ``) belong to the
//    token before them, so every non-space character of the input is covered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Encoding } from '../src/index.js';
import { albert, readJsonl } from './load.js';

const texts = readJsonl<{ text: string }>('albert-30k.jsonl').map((c) => c.text);
const pairs = readJsonl<{ a: string; b: string }>('albert-30k.pairs.jsonl');

const isSpaceLike = (ch: string) => albert().sp.normalize(albert().tokenize(ch).length === 0 ? ' ' : ch) === '';

/** Checks the offset properties of a single-text encoding; returns a description of a failure. */
function checkOffsets(text: string, enc: Encoding, seq = 0): string | null {
  const n = enc.inputIds.length;
  const covered = new Uint8Array(text.length);
  let prevStart = 0;
  let prevEnd = 0;
  for (let i = 0; i < n; i++) {
    const s = enc.offsets[2 * i] as number;
    const e = enc.offsets[2 * i + 1] as number;
    if (enc.sequenceIds[i] === -1) {
      if (s !== 0 || e !== 0) return `special token ${i} has offsets [${s}, ${e})`;
      continue;
    }
    if (enc.sequenceIds[i] !== seq) continue;
    if (!(0 <= s && s <= e && e <= text.length)) return `token ${i} [${s}, ${e}) outside [0, ${text.length}]`;
    if (s < prevStart || e < prevEnd) return `token ${i} [${s}, ${e}) goes back from [${prevStart}, ${prevEnd})`;
    prevStart = s;
    prevEnd = e;
    covered.fill(1, s, e);
  }
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (covered[i] !== 1 && !isSpaceLike(ch)) return `char ${i} ${JSON.stringify(ch)} is not covered`;
    i += ch.length;
  }
  return null;
}

describe('offsets', () => {
  it('hold the properties on every fixture text and pair', () => {
    const tok = albert();
    for (const text of texts) expect(checkOffsets(text, tok.encode(text)), JSON.stringify(text)).toBeNull();
    for (const { a, b } of pairs) {
      const enc = tok.encode(a, b);
      expect(checkOffsets(a, enc, 0)).toBeNull();
      expect(checkOffsets(b, enc, 1)).toBeNull();
    }
  });

  it('slice back to the word pieces they came from', () => {
    const tok = albert();
    const text = 'The Quick  brown FOX, naïve café — 1,000,000 déjà vu';
    const enc = tok.encode(text, null, { addSpecialTokens: false });
    const tokens = tok.convertIdsToTokens(enc.inputIds);
    const slices = tokens.map((_, i) => text.slice(enc.offsets[2 * i], enc.offsets[2 * i + 1]));
    expect(slices.join('')).toBe(text.trim());
    tokens.forEach((t, i) => {
      if (t === '<unk>') return;
      const slice = (slices[i] as string).trim().normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
      const piece = t.replace('\u2581', '');
      expect(slice, `${t} vs ${slices[i]}`).toBe(piece);
    });
  });

  it('hold the properties on random unicode strings (fast-check)', () => {
    const tok = albert();
    const alphabet = fc.oneof(
      fc.constantFrom(
        ' ',
        '  ',
        '\t',
        '\n',
        '\u3000',
        '\u00a0',
        '``',
        "''",
        '[MASK]',
        '[CLS]',
        '<UNK>',
        ',',
        '9,',
        'İ',
        'Σ',
      ),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
      fc.string({ unit: 'binary', maxLength: 3 }),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const problem = checkOffsets(text, tok.encode(text));
        if (problem !== null) throw new Error(`${JSON.stringify(text)}: ${problem}`);
      }),
      { numRuns: 3000, seed: 20261126 },
    );
  });

  it('agree with HF Rust tokenizers where the ids agree (up to the conventions above)', () => {
    interface RustCase {
      text: string;
      input_ids: number[];
      tokens: string[];
      offsets_utf16: [number, number][];
    }
    const tok = albert();
    let compared = 0;
    let exact = 0;
    let upToDummy = 0;
    for (const c of readJsonl<RustCase>('albert-30k.offsets.jsonl')) {
      const enc = tok.encode(c.text);
      if (JSON.stringify([...enc.inputIds]) !== JSON.stringify(c.input_ids)) continue;
      compared++;
      let same = true;
      let onlyDummy = true;
      c.tokens.forEach((t, i) => {
        const [rs, re] = c.offsets_utf16[i] as [number, number];
        const s = enc.offsets[2 * i] as number;
        const e = enc.offsets[2 * i + 1] as number;
        if (rs !== s || re !== e) {
          same = false;
          if (!(t === '\u2581' && s === e)) onlyDummy = false;
        }
        if (t === '\u2581' || enc.sequenceIds[i] !== 0) return;
        // ours contains Rust's span once whitespace it counts is skipped ...
        let r0 = rs;
        while (r0 < re && isSpaceLike(c.text[r0] as string)) r0++;
        expect(s, `${c.text} ${t}`).toBeLessThanOrEqual(r0);
        expect(e, `${c.text} ${t}`).toBeGreaterThanOrEqual(re);
        // ... and whatever we add is never a letter or digit
        const extra = c.text.slice(s, r0) + c.text.slice(re, e);
        expect(/[\p{L}\p{N}]/u.test(extra), `${c.text} ${t} adds ${JSON.stringify(extra)}`).toBe(false);
      });
      if (same) exact++;
      if (same || onlyDummy) upToDummy++;
    }
    expect(compared).toBe(146);
    expect(exact).toBeGreaterThanOrEqual(96);
    // the rest but 14 differ only in the lone dummy-prefix ▁ (empty here, the next character in Rust)
    expect(upToDummy).toBeGreaterThanOrEqual(132);
  });
});
