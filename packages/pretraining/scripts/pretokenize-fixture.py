#!/usr/bin/python3
"""Pre-tokenizes test/fixtures/gutenberg-valid-slice.txt with Google's SentencePiece (Debian's
python3-sentencepiece) and ALBERT's text preprocessing, so the statistical tests run in seconds and do
not depend on the TypeScript tokenizer. Run with Debian's python: /usr/bin/python3 scripts/pretokenize-fixture.py

Preprocessing as google-research/albert tokenization.py (preprocess_text with lower=True, then
encode_pieces): collapse whitespace, `` and '' -> ", NFKD and drop combining marks, lower-case;
pieces ending in "<digit>," are re-encoded without the comma and the comma appended as its own piece.
Output: one line per input line, space-separated ids (blank input lines stay blank)."""
import os
import unicodedata

import sentencepiece as spm

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
sp = spm.SentencePieceProcessor()
sp.Load(os.path.join(HERE, "albert-30k.model"))


def preprocess(text):
    out = " ".join(text.strip().split())
    out = out.replace("``", '"').replace("''", '"')
    out = unicodedata.normalize("NFKD", out)
    out = "".join(c for c in out if not unicodedata.combining(c))
    return out.lower()


def pieces_of(text):
    result = []
    for piece in sp.EncodeAsPieces(text):
        if len(piece) > 1 and piece[-1] == "," and piece[-2].isdigit():
            cur = sp.EncodeAsPieces(piece[:-1].replace("\u2581", ""))
            if piece[0] != "\u2581" and cur[0][0] == "\u2581":
                cur = cur[1:] if len(cur[0]) == 1 else [cur[0][1:]] + cur[1:]
            cur.append(piece[-1])
            result.extend(cur)
        else:
            result.append(piece)
    return result


with open(os.path.join(HERE, "gutenberg-valid-slice.txt"), encoding="utf-8") as src, open(
    os.path.join(HERE, "gutenberg-valid-slice.ids.txt"), "w", encoding="utf-8"
) as dst:
    for line in src:
        text = preprocess(line)
        ids = [sp.PieceToId(p) for p in pieces_of(text)] if text else []
        dst.write(" ".join(str(i) for i in ids) + "\n")
