// The two readers of the precompiled charsmap agree: listing every rule (decodeCharsMap) and
// walking the darts-clone array in place (PrecompiledCharsMap), on the ALBERT model's nmt_nfkc map.
import { describe, expect, it } from 'vitest';
import { readBytes } from '../../test/load.js';
import { ModelFormatError } from '../errors.js';
import { parseModelProto } from '../model/model-proto.js';
import { decodeCharsMap, PrecompiledCharsMap } from './charsmap.js';

const blob = parseModelProto(readBytes('albert-30k.model')).normalizerSpec.precompiledCharsmap as Uint8Array;

describe('precompiled charsmap', () => {
  const rules = decodeCharsMap(blob);

  it('lists the nmt_nfkc rules', () => {
    expect(rules.length).toBe(224711);
    const to = new Map(rules.map((r) => [r.from, r.to]));
    expect(to.get('\t')).toBe(' ');
    expect(to.get('\u0001')).toBe('');
    expect(to.get('ﬁ')).toBe('fi');
    expect(to.get('Ａ')).toBe('A');
    expect(to.get('\u3000')).toBe(' ');
    expect(to.get('\ufeff')).toBe(' ');
    expect(to.get('a')).toBeUndefined();
  });

  it('walked in place, finds each rule for its own key', () => {
    const map = new PrecompiledCharsMap(blob);
    const units = (s: string) => Uint16Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
    const wrong = rules.filter(
      (r) => map.longestMatch(units(r.from), 0, r.from.length) !== r.from.length || map.match !== r.to,
    );
    expect(wrong).toEqual([]);
    // and a key followed by more text still matches itself when nothing longer applies
    expect(map.longestMatch(units('ﬁx'), 0, 2)).toBe(1);
    expect(map.match).toBe('fi');
  });

  it('rejects a blob that is not a charsmap', () => {
    expect(() => new PrecompiledCharsMap(new Uint8Array([1, 2, 3]))).toThrow(ModelFormatError);
    expect(() => decodeCharsMap(new Uint8Array([255, 255, 0, 0, 1, 2, 3, 4]))).toThrow(/does not fit/);
  });
});
