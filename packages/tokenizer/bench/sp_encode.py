#!/usr/bin/env python3
"""SentencePiece's C++ encoder through Debian's python3-sentencepiece, timed inside Python.
Usage: /usr/bin/python3 sp_encode.py MODEL TEXT ROUNDS -> JSON on stdout (the bench runs one round at a time)."""
import json
import sys
import time

import sentencepiece as spm

model, path, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
sp = spm.SentencePieceProcessor(model_file=model)
lines = [l for l in open(path, encoding='utf-8').read().split('\n') if l]
out = {'version': spm.__version__, 'lines': len(lines), 'single': [], 'batch': []}
for _ in range(rounds):
    t, c = time.perf_counter(), time.process_time()
    n = 0
    for l in lines:
        n += len(sp.encode(l))
    out['single'].append({'wall': time.perf_counter() - t, 'cpu': time.process_time() - c, 'tokens': n})
    t, c = time.perf_counter(), time.process_time()
    n = sum(len(x) for x in sp.encode(lines))
    out['batch'].append({'wall': time.perf_counter() - t, 'cpu': time.process_time() - c, 'tokens': n})
print(json.dumps(out))
