// Every expectation of Hugging Face's own ALBERT tokenizer tests (hf_albert_tokenization_expected.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer } from '../src/index.js';
import { albert, fixture, readBytes } from './load.js';

interface Case {
  name: string;
  [key: string]: unknown;
}
const file = JSON.parse(readFileSync(fixture('hf_albert_tokenization_expected.json'), 'utf8')) as { cases: Case[] };
const byName = (name: string) => file.cases.filter((c) => c.name === name || c.name.startsWith(`${name}/`));

describe('HF test_tokenization_albert expectations', () => {
  it('covers every case in the file', () => {
    const handled = [
      'test_convert_token_and_id',
      'test_get_vocab',
      'test_full_tokenizer',
      'test_rust_and_python_full_tokenizers',
      'test_sequence_builders',
      'test_get_input_output_texts',
      'test_tokenizer_integration',
    ];
    for (const c of file.cases) expect(handled).toContain(c.name.split('/')[0]);
  });

  it('test_convert_token_and_id', () => {
    for (const c of byName('test_convert_token_and_id')) {
      expect(albert().convertTokensToIds([c.token as string])).toEqual([c.id]);
      expect(albert().convertIdsToTokens([c.id as number])).toEqual([c.token]);
    }
  });

  it('test_get_vocab', () => {
    const [c] = byName('test_get_vocab') as [Case];
    const tok = albert();
    expect(tok.vocabSize).toBe(c.vocab_size);
    expect(tok.convertIdsToTokens([0, 1])).toEqual(c.first_tokens);
    expect(tok.convertIdsToTokens([tok.vocabSize - 1])).toEqual([c.last_token]);
  });

  it('test_full_tokenizer (keep_accents)', () => {
    const cases = byName('test_full_tokenizer');
    expect(cases.length).toBe(2);
    const tok = AlbertTokenizer.fromBytes(readBytes('albert-30k.model'), { keepAccents: true });
    for (const c of cases) {
      const tokens = tok.tokenize(c.text as string);
      expect(tokens).toEqual(c.tokens);
      expect(tok.convertTokensToIds(tokens)).toEqual(c.ids);
      if (c.back_tokens !== undefined) expect(tok.convertIdsToTokens(c.ids as number[])).toEqual(c.back_tokens);
    }
  });

  it('test_rust_and_python_full_tokenizers (slow values)', () => {
    for (const c of byName('test_rust_and_python_full_tokenizers')) {
      expect(albert().tokenize(c.text as string)).toEqual(c.tokens);
      expect([...albert().encodeSequence(c.text as string).ids]).toEqual(c.ids);
    }
  });

  it('test_sequence_builders', () => {
    const [c] = byName('test_sequence_builders') as [Case];
    const tok = albert();
    const text = [...tok.encode(c.text as string).inputIds];
    const text2 = [...tok.encode(c.text_2 as string).inputIds];
    expect(text).toEqual(c.encode_text);
    expect(text2).toEqual(c.encode_text_2);
    expect(tok.buildInputsWithSpecialTokens(text)).toEqual([tok.clsId, ...text, tok.sepId]);
    expect(tok.buildInputsWithSpecialTokens(text, text2)).toEqual([tok.clsId, ...text, tok.sepId, ...text2, tok.sepId]);
  });

  it('test_get_input_output_texts', () => {
    for (const c of byName('test_get_input_output_texts')) {
      const ids = albert().encode(c.input_text as string, null, { addSpecialTokens: false }).inputIds;
      expect(albert().decode(ids)).toBe(c.output_text);
    }
  });

  it('test_tokenizer_integration (albert-base-v2, padding=True)', () => {
    const [c] = byName('test_tokenizer_integration') as [Case];
    const expected = c.expected_encoding as {
      input_ids: number[][];
      token_type_ids: number[][];
      attention_mask: number[][];
    };
    const sequences = c.sequences as string[];
    const encodings = albert().encodeBatch(sequences, { padding: true });
    expect(encodings.map((e) => [...e.inputIds])).toEqual(expected.input_ids);
    expect(encodings.map((e) => [...e.tokenTypeIds])).toEqual(expected.token_type_ids);
    expect(encodings.map((e) => [...e.attentionMask])).toEqual(expected.attention_mask);
    encodings.forEach((e, i) => {
      expect(albert().decode(e.inputIds, { skipSpecialTokens: true })).toBe(sequences[i]);
    });
  });
});
