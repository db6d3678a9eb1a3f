# Reference values for @albert-ts/training's tests, computed by PyTorch (Debian python3-torch 1.13.1):
#   test/fixtures/torch-sgd.json        torch.optim.SGD, 5 steps, four configurations
#   test/fixtures/torch-clip.json       torch.nn.utils.clip_grad_norm_ (norm_type 2)
#   test/fixtures/torch-loop.json       a training loop as Hugging Face's Trainer runs it: loss divided by
#                                       the accumulation steps, backward per micro-batch,
#                                       clip_grad_norm_, SGD(momentum) step at a scheduled rate
# Run: /usr/bin/python3 packages/training/scripts/make-torch-fixtures.py
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures')
torch.set_default_dtype(torch.float32)
rng = np.random.default_rng(20240516)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def listify(t):
    return t.detach().numpy().astype(np.float64).reshape(-1).tolist()


# ---- SGD ----
shapes = {'w': [3, 4], 'b': [5]}
init = {k: f32(rng.standard_normal(s)) for k, s in shapes.items()}
steps = 5
grads = [{k: f32(rng.standard_normal(s)) for k, s in shapes.items()} for _ in range(steps)]
lrs = [0.1, 0.05, 0.2, 0.01, 0.1]
configs = [
    {'momentum': 0.0, 'dampening': 0.0, 'weight_decay': 0.0, 'nesterov': False},
    {'momentum': 0.9, 'dampening': 0.0, 'weight_decay': 0.0, 'nesterov': False},
    {'momentum': 0.9, 'dampening': 0.1, 'weight_decay': 0.01, 'nesterov': False},
    {'momentum': 0.8, 'dampening': 0.0, 'weight_decay': 0.05, 'nesterov': True},
]
cases = []
for cfg in configs:
    params = {k: torch.tensor(v, requires_grad=True) for k, v in init.items()}
    opt = torch.optim.SGD(list(params.values()), lr=lrs[0], **cfg)
    trace = []
    for s in range(steps):
        for k, p in params.items():
            p.grad = torch.tensor(grads[s][k])
        for g in opt.param_groups:
            g['lr'] = lrs[s]
        opt.step()
        trace.append({k: listify(p) for k, p in params.items()})
    cases.append({'config': cfg, 'params': trace})
with open(os.path.join(OUT, 'torch-sgd.json'), 'w') as f:
    json.dump({
        'torch': torch.__version__,
        'shapes': shapes,
        'init': {k: v.astype(np.float64).reshape(-1).tolist() for k, v in init.items()},
        'grads': [{k: v.astype(np.float64).reshape(-1).tolist() for k, v in g.items()} for g in grads],
        'lrs': lrs,
        'cases': cases,
    }, f)

# ---- clip_grad_norm_ ----
clip_cases = []
for max_norm, scale in [(1.0, 1.0), (100.0, 1.0), (0.5, 3.0)]:
    gs = {k: f32(rng.standard_normal(s) * scale) for k, s in shapes.items()}
    ps = [torch.zeros(s, requires_grad=True) for s in shapes.values()]
    for p, (k, g) in zip(ps, gs.items()):
        p.grad = torch.tensor(g)
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm)
    clip_cases.append({
        'maxNorm': max_norm,
        'grads': {k: g.astype(np.float64).reshape(-1).tolist() for k, g in gs.items()},
        'totalNorm': float(total),
        'clipped': {k: listify(p.grad) for k, p in zip(gs.keys(), ps)},
    })
with open(os.path.join(OUT, 'torch-clip.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'shapes': shapes, 'cases': clip_cases}, f)

# ---- a training loop: linear regression, MSE ----
n_in, n_out, batch, accum, updates = 4, 2, 3, 2, 6
W0 = f32(rng.standard_normal((n_in, n_out)) * 0.5)  # stored [in, out] as our linear weights
b0 = f32(rng.standard_normal(n_out) * 0.1)
xs = [f32(rng.standard_normal((batch, n_in))) for _ in range(updates * accum)]
ys = [f32(rng.standard_normal((batch, n_out)) * 2) for _ in range(updates * accum)]
loop_lrs = [0.05 * (i + 1) / updates for i in range(updates)]
W = torch.tensor(W0, requires_grad=True)
b = torch.tensor(b0, requires_grad=True)
opt = torch.optim.SGD([W, b], lr=loop_lrs[0], momentum=0.9)
trace = []
for u in range(updates):
    opt.zero_grad()
    losses = []
    for k in range(accum):
        x = torch.tensor(xs[u * accum + k])
        y = torch.tensor(ys[u * accum + k])
        loss = torch.mean((x @ W + b - y) ** 2)
        (loss / accum).backward()
        losses.append(float(loss))
    norm = torch.nn.utils.clip_grad_norm_([W, b], 2.0)
    for g in opt.param_groups:
        g['lr'] = loop_lrs[u]
    opt.step()
    trace.append({'loss': float(np.mean(losses)), 'gradNorm': float(norm), 'W': listify(W), 'b': listify(b)})
with open(os.path.join(OUT, 'torch-loop.json'), 'w') as f:
    json.dump({
        'torch': torch.__version__,
        'nIn': n_in, 'nOut': n_out, 'batch': batch, 'accumulation': accum, 'maxGradNorm': 2.0, 'momentum': 0.9,
        'W0': W0.astype(np.float64).reshape(-1).tolist(), 'b0': b0.astype(np.float64).reshape(-1).tolist(),
        'xs': [x.astype(np.float64).reshape(-1).tolist() for x in xs],
        'ys': [y.astype(np.float64).reshape(-1).tolist() for y in ys],
        'lrs': loop_lrs,
        'trace': trace,
    }, f)
print('wrote torch-sgd.json, torch-clip.json, torch-loop.json to', os.path.normpath(OUT))
