#!/usr/bin/env python3
"""Writes test/fixtures/sp-random.jsonl: SentencePiece's own output (Debian python3-sentencepiece
0.1.97, the C++ library) for the ALBERT model on random unicode strings and Gutenberg lines, so the
tests can check our SentencePieceProcessor without Python at run time.

Run: /usr/bin/python3 packages/tokenizer/scripts/gen-sp-fixture.py [path/to/gutenberg_en/valid.txt]
Each line: {text, pieces, ids, offsets_utf16 ([begin, end) as SentencePiece reports them), nbest3?}.
"""
import json
import os
import random
import sys

import sentencepiece as spm

here = os.path.dirname(__file__)
model = os.path.join(here, '..', 'test', 'fixtures', 'albert-30k.model')
sp = spm.SentencePieceProcessor(model_file=model)
random.seed(20261126)

pool = [chr(c) for c in list(range(0x20, 0x7f)) * 20 + list(range(0xa0, 0x3000)) +
        [0x3000, 0xff01, 0xff21, 0xfb01, 0x2581, 0xfeff, 0x200b, 0x1, 0x9, 0xa, 0xd, 0x7f, 0x85, 0x2028,
         0x1f600, 0x20000, 0x1d6ba, 0xac00, 0x1100, 0x1161]]
texts = []
for _ in range(800):
    texts.append(''.join(random.choice(pool) for _ in range(random.randint(0, 30))))
valid = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', '..', '..', 'shared', 'data',
                                                              'gutenberg_en', 'valid.txt')
lines = [l for l in open(valid, encoding='utf-8').read().split('\n') if l.strip()]
texts += [l.lower() for l in lines[:200]] + lines[200:260]


def u16(s):
    return len(s.encode('utf-16-le', 'surrogatepass')) // 2


out = os.path.join(here, '..', 'test', 'fixtures', 'sp-random.jsonl')
with open(out, 'w', encoding='utf-8') as f:
    for i, t in enumerate(texts):
        proto = sp.encode_as_immutable_proto(t)
        rec = {
            'text': t,
            'pieces': [p.piece for p in proto.pieces],
            'ids': [p.id for p in proto.pieces],
            'offsets_utf16': [[u16(t[:p.begin]), u16(t[:p.end])] for p in proto.pieces],
        }
        if i % 4 == 0 and len(t) < 20:
            rec['nbest3'] = sp.nbest_encode_as_ids(t, 3)
        f.write(json.dumps(rec, ensure_ascii=False) + '\n')
print('wrote', out, len(texts))

# Normalizer variants, made by patching the model's bytes in place (the bool fields keep their size):
# add_dummy_prefix and remove_extra_whitespaces are the last normalizer_spec fields of the file,
# treat_whitespace_as_suffix is trainer_spec field 24. Checked by the test against our own writer.
base = open(model, 'rb').read()
assert base[-6:] == b'\x18\x01\x20\x01\x32\x00'
tws_at = base.index(b'\xc0\x01\x00', 522447, 522447 + 300)


def patched(dummy=1, extra=1, tws=0):
    b = bytearray(base)
    b[-5] = dummy
    b[-3] = extra
    b[tws_at + 2] = tws
    return bytes(b)


variants = {
    'no_dummy_prefix': patched(dummy=0),
    'keep_extra_whitespaces': patched(extra=0),
    'no_dummy_keep_whitespaces': patched(dummy=0, extra=0),
    'whitespace_as_suffix': patched(tws=1),
}
spaced = ['  a  b  ', '\t\tx \n y\t', ' ', '', 'end  ', '  start', 'mid   dle', '\u3000 x \u3000']
out = os.path.join(here, '..', 'test', 'fixtures', 'sp-variants.jsonl')
tmp = os.path.join(here, '..', 'test', 'fixtures', '.variant.model')
with open(out, 'w', encoding='utf-8') as f:
    for name, data in variants.items():
        open(tmp, 'wb').write(data)
        v = spm.SentencePieceProcessor(model_file=tmp)
        for t in spaced + texts[:150]:
            f.write(json.dumps({'variant': name, 'text': t, 'pieces': v.encode(t, out_type=str), 'ids': v.encode(t)},
                               ensure_ascii=False) + '\n')
os.remove(tmp)
print('wrote', out)
