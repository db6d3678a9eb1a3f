#!/usr/bin/env python3
"""Writes test/fixtures/albert-random.jsonl: Hugging Face's slow AlbertTokenizer behaviour on random
unicode text, computed in Python (so with CPython's str.lower/isspace/isdigit, unicodedata and re,
which is what the JavaScript port must match) on SentencePiece 0.1.97 (Debian python3-sentencepiece).

transformers is not installed here, so this transcribes the behaviour the fixture README documents
(tokenization_utils.tokenize + tokenization_albert.preprocess_text/_tokenize, transformers 4.x) and is
checked against the shared fixtures first: it must reproduce every `pieces` of albert-30k.jsonl.
Run: /usr/bin/python3 packages/tokenizer/scripts/gen-albert-random.py
"""
import json
import os
import random
import re
import unicodedata

import sentencepiece as spm

here = os.path.dirname(__file__)
fixtures = os.path.join(here, '..', 'test', 'fixtures')
sp = spm.SentencePieceProcessor(model_file=os.path.join(fixtures, 'albert-30k.model'))
SPECIALS = ['[CLS]', '[SEP]', '<unk>', '<pad>', '[MASK]']
SPIECE_UNDERLINE = '\u2581'


OPTIONS = {'do_lower_case': True, 'keep_accents': False, 'remove_space': True}


def preprocess_text(inputs):
    outputs = ' '.join(inputs.strip().split()) if OPTIONS['remove_space'] else inputs
    outputs = outputs.replace('``', '"').replace("''", '"')
    if not OPTIONS['keep_accents']:
        outputs = unicodedata.normalize('NFKD', outputs)
        outputs = ''.join([c for c in outputs if not unicodedata.combining(c)])
    if OPTIONS['do_lower_case']:
        outputs = outputs.lower()
    return outputs


def _tokenize(text):
    text = preprocess_text(text)
    pieces = sp.encode(text, out_type=str)
    new_pieces = []
    for piece in pieces:
        if len(piece) > 1 and piece[-1] == ',' and piece[-2].isdigit():
            cur = sp.EncodeAsPieces(piece[:-1].replace(SPIECE_UNDERLINE, ''))
            if piece[0] != SPIECE_UNDERLINE and cur[0][0] == SPIECE_UNDERLINE:
                if len(cur[0]) == 1:
                    cur = cur[1:]
                else:
                    cur[0] = cur[0][1:]
            cur.append(piece[-1])
            new_pieces.extend(cur)
        else:
            new_pieces.append(piece)
    return new_pieces


def split_specials(text):
    # leftmost, longest match of the special tokens (HF Trie.split)
    out, last, i = [], 0, 0
    while i < len(text):
        best = None
        for t in SPECIALS:
            if text.startswith(t, i) and (best is None or len(t) > len(best)):
                best = t
        if best is None:
            i += 1
            continue
        if i > last:
            out.append(text[last:i])
        out.append(best)
        i += len(best)
        last = i
    if last < len(text):
        out.append(text[last:])
    return out


def tokenize(text):
    pattern = r'(' + r'|'.join(re.escape(t) for t in SPECIALS) + r')|' + r'(.+?)'
    if OPTIONS['do_lower_case']:
        text = re.sub(pattern, lambda m: m.groups()[0] or m.groups()[1].lower(), text)
    tokens = split_specials(text)
    for i, tok in enumerate(tokens):
        if tok == '[MASK]' and i > 0 and tokens[i - 1] not in SPECIALS:
            tokens[i - 1] = tokens[i - 1].rstrip()
    out = []
    for tok in tokens:
        if not tok:
            continue
        out.extend([tok] if tok in SPECIALS else _tokenize(tok))
    return out


def ids_of(pieces):
    return [SPECIALS_IDS[p] if p in SPECIALS_IDS else sp.PieceToId(p) for p in pieces]


SPECIALS_IDS = {t: sp.PieceToId(t) for t in SPECIALS}

# self-check against the shared reference
for line in open(os.path.join(fixtures, 'albert-30k.jsonl'), encoding='utf-8'):
    d = json.loads(line)
    assert tokenize(d['text']) == d['pieces'], d['text']
    assert ids_of(d['pieces']) == d['ids'], d['text']

random.seed(20261127)
ranges = [(0x20, 0x7f)] * 12 + [(0xa0, 0x250), (0x370, 0x400), (0x400, 0x530), (0x900, 0x980), (0x1e00, 0x2000),
                                 (0x2000, 0x2070), (0x2100, 0x2190), (0x2460, 0x2500), (0x3000, 0x3100),
                                 (0xac00, 0xac40), (0xfb00, 0xfb10), (0xff00, 0xff70), (0x1d400, 0x1d800),
                                 (0x1f300, 0x1f600), (0x300, 0x370)]
atoms = ['[MASK]', '[CLS]', '<UNK>', '<pad>', '[mask]', ' ', '  ', '\t', '\n', '\u3000', '\xa0', '``', "''", '9,',
         '1,000', '12,', 'İ', 'Σ', 'ΟΔΟΣ', '𝚺', 'K', '\u212a', 'ﬁ', '½', 'e\u0301', '\u200b', '\ufeff', '\u0085',
         '\x1c', 'Å']
texts = []
for _ in range(1500):
    parts = []
    for _ in range(random.randint(0, 10)):
        if random.random() < 0.3:
            parts.append(random.choice(atoms))
        else:
            lo, hi = random.choice(ranges)
            parts.append(''.join(chr(random.randrange(lo, hi)) for _ in range(random.randint(1, 6))))
    texts.append(''.join(parts))
with open(os.path.join(fixtures, 'albert-random.jsonl'), 'w', encoding='utf-8') as f:
    for t in texts:
        pieces = tokenize(t)
        f.write(json.dumps({'text': t, 'pieces': pieces, 'ids': ids_of(pieces)}, ensure_ascii=False) + '\n')
print('wrote', len(texts))

# the other settings, on the first 400 texts: keep_accents, do_lower_case=False, remove_space=False
with open(os.path.join(fixtures, 'albert-random-options.jsonl'), 'w', encoding='utf-8') as f:
    for name, opts in [('keep_accents', {'do_lower_case': True, 'keep_accents': True}),
                       ('cased', {'do_lower_case': False, 'keep_accents': False}),
                       ('cased_keep_accents', {'do_lower_case': False, 'keep_accents': True}),
                       ('keep_space', {'do_lower_case': True, 'keep_accents': False, 'remove_space': False})]:
        OPTIONS.update({'remove_space': True, **opts})
        for t in texts[:400]:
            pieces = tokenize(t)
            f.write(json.dumps({'options': name, 'text': t, 'pieces': pieces, 'ids': ids_of(pieces)},
                               ensure_ascii=False) + '\n')
print('wrote the option variants')


# decode: HF decode (convert_ids_to_tokens, AlbertTokenizer.convert_tokens_to_string, clean-up) of the
# ids above and of random id sequences (special and user-defined ids included)
OPTIONS.update({'do_lower_case': True, 'keep_accents': False, 'remove_space': True})
SPECIAL_IDS = set(SPECIALS_IDS.values())


def convert_tokens_to_string(tokens):
    current, out, prev_is_special = [], '', False
    for token in tokens:
        if token in SPECIALS:
            if not prev_is_special:
                out += ' '
            out += sp.decode(current) + token
            prev_is_special = True
            current = []
        else:
            current.append(token)
            prev_is_special = False
    out += sp.decode(current)
    return out.strip()


def clean_up(t):
    return (t.replace(' .', '.').replace(' ?', '?').replace(' !', '!').replace(' ,', ',').replace(" ' ", "'")
            .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re"))


def decode(ids, skip, cleanup):
    tokens = [sp.IdToPiece(i) for i in ids if not (skip and i in SPECIAL_IDS)]
    text = convert_tokens_to_string(tokens)
    return clean_up(text) if cleanup else text


id_lists = [ids_of(tokenize(t)) for t in texts[:300]]
for _ in range(300):
    id_lists.append([random.choice([random.randrange(0, 13), random.randrange(13, 30000), 13, 9, 15])
                     for _ in range(random.randint(0, 12))])
with open(os.path.join(fixtures, 'albert-decode.jsonl'), 'w', encoding='utf-8') as f:
    for ids in id_lists:
        f.write(json.dumps({'ids': ids, 'decoded': decode(ids, False, True), 'no_cleanup': decode(ids, False, False),
                            'skip_special': decode(ids, True, True)}, ensure_ascii=False) + '\n')
print('wrote decode cases', len(id_lists))
