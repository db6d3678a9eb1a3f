#!/usr/bin/env python3
"""Reference values for the heads' tests, computed in float64 with numpy from Hugging Face's own
tensors in test/fixtures/hf-albert (logits, hidden states and head weights written by transformers),
with torch's documented loss formulas written out here independently of albert-ts:

- MSELoss: mean((x - y)^2); HF squeezes logits and labels when num_labels == 1.
- BCEWithLogitsLoss: mean(-(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))).
- CrossEntropyLoss(ignore_index): mean over the rows whose target is not ignore_index of
  -log softmax(x)[target]; no row left gives nan (0/0).
- AlbertForQuestionAnswering: positions clamped to [0, seq], ignore_index = seq, loss = (start + end) / 2.
- Head gradients: d loss / d W and d loss / d b of the head's Linear layer (HF layout [out, in]) for
  the fixtures that ship no grads.safetensors (tiny-tokcls, tiny-qa, tiny-mc), from HF's
  last_hidden_state / pooler_output: for softmax cross-entropy d loss / d logits = (p - onehot) / n.

Run from packages/heads:  python3 scripts/loss-references.py > test/fixtures/loss-references.json
"""
import json
import struct

import numpy as np

FIX = 'test/fixtures/hf-albert'


def load(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for key, v in header.items():
        if key == '__metadata__':
            continue
        begin, end = v['data_offsets']
        dtype = {'F32': np.float32, 'I32': np.int32}[v['dtype']]
        out[key] = np.frombuffer(data[begin:end], dtype=dtype).reshape(v['shape'])
    return out


def log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def softmax(x):
    return np.exp(log_softmax(x))


def cross_entropy(logits, targets, ignore_index=-100):
    """logits [N, C], targets [N] -> (loss, d loss / d logits [N, C])."""
    logits = logits.astype(np.float64)
    valid = targets != ignore_index
    n = valid.sum()
    safe = np.where(valid, targets, 0)
    lp = log_softmax(logits)
    with np.errstate(invalid='ignore', divide='ignore'):
        loss = -lp[np.arange(len(targets)), safe][valid].sum() / n
    onehot = np.zeros_like(logits)
    onehot[np.arange(len(targets)), safe] = 1
    grad = (softmax(logits) - onehot) * valid[:, None] / max(n, 1)
    return float(loss), grad


def mse(x, y):
    return float(np.mean((x.astype(np.float64) - y.astype(np.float64)) ** 2))


def bce_with_logits(x, y):
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    s = 1 / (1 + np.exp(-x))
    return float(np.mean(-(y * np.log(s) + (1 - y) * np.log(1 - s))))


def linear_grads(features, dlogits):
    """features [N, H], dlogits [N, O] -> (dW [O, H] (HF layout), db [O])."""
    return (dlogits.T @ features.astype(np.float64)).tolist(), dlogits.sum(axis=0).tolist()


def check(name, ours, ref, tol=1e-5):
    assert abs(ours - ref) <= tol, f'{name}: recomputed {ours} vs fixture {ref}'


def nan_to_json(x):
    return 'NaN' if np.isnan(x) else x


out = {}

# --- tiny-seqcls: regression and multi-label losses from HF's logits [2, 3] ---
seq = load(f'{FIX}/tiny-seqcls/io.safetensors')
logits = seq['logits']
check('seqcls loss', cross_entropy(logits, seq['labels'])[0], float(seq['loss']))
reg1 = np.array([0.75, -1.5])
reg3 = np.array([[0.5, -0.25, 1.0], [0.0, 0.3, -0.7]])
hard = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
soft = np.array([[0.2, 0.9, 0.5], [1.0, 0.0, 0.35]])
out['seqcls'] = {
    'regression1': {'column': 0, 'labels': reg1.tolist(), 'loss': mse(logits[:, 0], reg1)},
    'regression3': {'labels': reg3.tolist(), 'loss': mse(logits, reg3)},
    'multiLabelHard': {'labels': hard.tolist(), 'loss': bce_with_logits(logits, hard)},
    'multiLabelSoft': {'labels': soft.tolist(), 'loss': bce_with_logits(logits, soft)},
}

# --- tiny-qa: clamped / ignored positions, and the head gradient ---
qa = load(f'{FIX}/tiny-qa/io.safetensors')
qa_w = load(f'{FIX}/tiny-qa/model.safetensors')
start, end = qa['start_logits'], qa['end_logits']
seq_len = start.shape[1]


def qa_loss(sp, ep):
    sp = np.clip(np.array(sp), 0, seq_len)
    ep = np.clip(np.array(ep), 0, seq_len)
    s, ds = cross_entropy(start, sp, ignore_index=seq_len)
    e, de = cross_entropy(end, ep, ignore_index=seq_len)
    return (s + e) / 2, ds / 2, de / 2


loss, ds, de = qa_loss(qa['start_positions'], qa['end_positions'])
check('qa loss', loss, float(qa['loss']))
h = qa['last_hidden_state'].reshape(-1, qa['last_hidden_state'].shape[-1])  # [b*s, H]
dlogits = np.stack([ds, de], axis=-1).reshape(-1, 2)  # [b*s, 2]
dw, db = linear_grads(h, dlogits)
out['qa'] = {
    'clamped': {'startPositions': [30, 3], 'endPositions': [-5, 24], 'loss': qa_loss([30, 3], [-5, 24])[0]},
    'allIgnored': {'startPositions': [24, 24], 'endPositions': [24, 99], 'loss': nan_to_json(qa_loss([24, 24], [24, 99])[0])},
    'grads': {'qa_outputs.weight': dw, 'qa_outputs.bias': db},
}
recomputed = h.astype(np.float64) @ qa_w['qa_outputs.weight'].T.astype(np.float64) + qa_w['qa_outputs.bias']
check('qa logits', float(np.abs(recomputed[:, 0].reshape(start.shape) - start).max()), 0.0, 1e-4)

# --- tiny-tokcls: head gradient ---
tok = load(f'{FIX}/tiny-tokcls/io.safetensors')
h = tok['last_hidden_state'].reshape(-1, tok['last_hidden_state'].shape[-1])
loss, dlogits = cross_entropy(tok['logits'].reshape(h.shape[0], -1), tok['labels'].reshape(-1))
check('tokcls loss', loss, float(tok['loss']))
dw, db = linear_grads(h, dlogits)
out['tokcls'] = {'grads': {'classifier.weight': dw, 'classifier.bias': db}}

# --- tiny-mc: head gradient (the classifier scores each choice's pooled output) ---
mc = load(f'{FIX}/tiny-mc/io.safetensors')
loss, dlogits = cross_entropy(mc['logits'], mc['labels'])  # [b, c]
check('mc loss', loss, float(mc['loss']))
dw, db = linear_grads(mc['pooler_output'], dlogits.reshape(-1, 1))
out['mc'] = {'grads': {'classifier.weight': dw, 'classifier.bias': db}}

print(json.dumps(out, indent=1))
