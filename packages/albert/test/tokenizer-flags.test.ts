// tokenizer_config.json's do_lower_case, keep_accents and remove_space reach the tokenizer and change
// it as they change Hugging Face's slow AlbertTokenizer: ids against HF's own (albert-30k.expected.json).
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer, AutoTokenizer } from '../src/index.js';
import { ALBERT_30K, ALBERT_30K_JSON, configWith, EXPECTED, fixtureBytes } from './helpers/albert-30k.js';
import { tempFolder } from './helpers/fixtures.js';

const SPIECE = fixtureBytes(ALBERT_30K, 'spiece.model');

/** A folder with albert-30k's spiece.model and its tokenizer_config.json changed by `flags`. */
function folderWith(flags: Record<string, unknown>, tokenizerFile: 'spiece.model' | 'tokenizer.json' = 'spiece.model') {
  const file = tokenizerFile === 'spiece.model' ? SPIECE : fixtureBytes(ALBERT_30K_JSON, 'tokenizer.json');
  return tempFolder('tiny-qa', { [tokenizerFile]: file, 'tokenizer_config.json': configWith(flags) });
}

const ids = (tok: AlbertTokenizer, text: string) => [...tok.encodeSequence(text).ids];

describe('tokenizer_config.json flags, against Hugging Face', () => {
  it('covers every flag, each with a text it changes', () => {
    const changed = EXPECTED.flags.filter((c) => JSON.stringify(c.ids) !== JSON.stringify(c.defaultIds));
    const flags = new Set(changed.flatMap((c) => Object.keys(c.flags)));
    expect([...flags].sort()).toEqual(['do_lower_case', 'keep_accents', 'remove_space']);
  });

  it("albert-base-v2's own settings give HF's default ids", async () => {
    const tok = await AlbertTokenizer.fromPretrained(ALBERT_30K);
    expect([tok.doLowerCase, tok.keepAccents, tok.removeSpace]).toEqual([true, false, true]);
    for (const c of EXPECTED.flags) expect(ids(tok, c.text), JSON.stringify(c.text)).toEqual(c.defaultIds);
  });

  for (const c of EXPECTED.flags) {
    it(`${JSON.stringify(c.flags)} on ${JSON.stringify(c.text)}: HF's ids (${c.source.split(':')[0]})`, async () => {
      const tok = await AlbertTokenizer.fromPretrained(folderWith(c.flags));
      expect(ids(tok, c.text)).toEqual(c.ids);
      // AutoTokenizer reads the same file through the same loader
      const auto = await AutoTokenizer.fromPretrained(folderWith(c.flags));
      expect([...auto.encode(c.text).inputIds]).toEqual([tok.clsId, ...c.ids, tok.sepId]);
    });
  }

  it('keep_accents and do_lower_case set the tokenizer: "Café" keeps its accent and its capital only when asked', async () => {
    const plain = await AlbertTokenizer.fromPretrained(ALBERT_30K);
    const accents = await AlbertTokenizer.fromPretrained(folderWith({ keep_accents: true }));
    const cased = await AlbertTokenizer.fromPretrained(folderWith({ do_lower_case: false, keep_accents: true }));
    // HF: "café" → ['▁cafe'] (albert-30k.expected.json: [CLS] 6241 [SEP])
    expect(EXPECTED.spiece.find((t) => t.text === 'café')?.inputIds).toEqual([2, 6241, 3]);
    expect(plain.tokenize('Café')).toEqual(['▁cafe']);
    expect(accents.tokenize('Café')).not.toContain('▁cafe');
    expect(accents.tokenize('Café').join('')).toContain('é');
    expect(cased.tokenize('Café').join('')).toContain('C');
  });

  it("a tokenizer.json folder keeps the file's own normalization: the flags do not apply to it", async () => {
    const tok = await AutoTokenizer.fromPretrained(
      folderWith({ keep_accents: true, do_lower_case: false }, 'tokenizer.json'),
    );
    const cafe = EXPECTED.tokenizerJson.find((t) => t.text === 'café');
    expect([...tok.encode('café').inputIds]).toEqual(cafe?.inputIds);
  });
});
