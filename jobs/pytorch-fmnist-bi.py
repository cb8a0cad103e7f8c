#!/usr/bin/env python3
"""PyTorch reference for conf/fashion-mnist-bi.conf (float32, CPU, one process).

Fashion-MNIST images as sequences of 28 rows of 28 pixel values in [0, 1]. The model of the conf:
a bidirectional LSTM layer of 128 per direction, the head reading the mean of the 28 steps'
states (forward and backward side by side), dropout 0.1 in training only on the pooled state
(inverted scaling); Adam, minibatches of 64, the learning rate decayed from 3e-3 to 0 along half
a cosine over the run's updates, 20 epochs. --dropout-input (per step and unit) and
--dropout-recurrent (on h(t-1) where it feeds the gates, one mask per sequence reused at every
step, per direction) mirror model.dropout.input and model.dropout.recurrent (0 in the conf).

--impl fused (nn.LSTM, PyTorch's initialisation: uniform +-1/sqrt(128), two bias vectors) has
no recurrent dropout: nn.LSTM's `dropout` acts between stacked layers only. --impl loop writes
the LSTM out step by step, which recurrent dropout needs, initialised as the engine does (Glorot
uniform input and head weights, orthonormal recurrent weights, one bias per gate block at zero
but the forget gate's at 1); on a loaded machine it is several times slower than fused.

What differs from the Spark run whatever --impl: one process takes every minibatch in turn
(938 updates an epoch), where the Spark job trains two shards of 30,000 images (469 updates each
an epoch) and averages them every 50 minibatches with block momentum; the random numbers differ.

  jobs/pytorch jobs/pytorch-fmnist-bi.py [--impl fused|loop] [--threads 2]
Prints one RESULT line per epoch (held-out accuracy, wall time, examples/s) and a SUMMARY line.
"""
import argparse
import gzip
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = struct.unpack(">I", raw[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(d, split):
    x = read_idx(os.path.join(d, f"{split}-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y = read_idx(os.path.join(d, f"{split}-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def dropout_mask(shape, p, like):
    """Inverted-dropout mask: kept units scaled by 1/(1-p)."""
    return torch.bernoulli(torch.full(shape, 1.0 - p, dtype=like.dtype)) / (1.0 - p)


class Direction(nn.Module):
    """One LSTM direction, gates in PyTorch's order i, f, g, o, with variational dropout on h."""

    def __init__(self, inputs, hidden, recurrent_dropout):
        super().__init__()
        self.hidden, self.p = hidden, recurrent_dropout
        self.w_ih = nn.Parameter(torch.empty(4 * hidden, inputs))
        self.w_hh = nn.Parameter(torch.empty(4 * hidden, hidden))
        self.bias = nn.Parameter(torch.zeros(4 * hidden))
        nn.init.xavier_uniform_(self.w_ih)
        nn.init.orthogonal_(self.w_hh)
        with torch.no_grad():
            self.bias[hidden:2 * hidden] = 1.0

    def forward(self, x):  # x: (B, T, I) -> (B, T, H)
        b, steps, _ = x.shape
        xw = torch.addmm(self.bias, x.reshape(b * steps, -1), self.w_ih.t()).view(b, steps, -1)
        h = x.new_zeros(b, self.hidden)
        c = x.new_zeros(b, self.hidden)
        mask = dropout_mask((b, self.hidden), self.p, x) if self.training and self.p > 0 else None
        out = []
        for t in range(steps):
            z = xw[:, t] + (h if mask is None else h * mask) @ self.w_hh.t()
            i, f, g, o = z.chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            out.append(h)
        return torch.stack(out, 1)


class BiLstmClassifier(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        if a.impl == "loop":
            self.fwd = Direction(28, a.hidden, a.dropout_recurrent)
            self.bwd = Direction(28, a.hidden, a.dropout_recurrent)
        else:
            self.lstm = nn.LSTM(28, a.hidden, 1, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * a.hidden, a.classes)
        nn.init.xavier_uniform_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x):  # x: (B, 28 rows, 28 pixels)
        x = F.dropout(x, self.a.dropout_input, self.training)
        if self.a.impl == "loop":
            states = torch.cat([self.fwd(x), self.bwd(x.flip(1)).flip(1)], 2)
        else:
            states, _ = self.lstm(x)
        pooled = states.mean(1)
        return self.out(F.dropout(pooled, self.a.dropout_output, self.training))


@torch.no_grad()
def accuracy(model, x, y, bs=1000):
    model.eval()
    right = sum((model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
                for i in range(0, len(x), bs))
    return right / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--impl", choices=["loop", "fused"], default="fused")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.003)
    ap.add_argument("--schedule", choices=["cosine", "constant"], default="cosine")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--dropout-input", type=float, default=0.0)
    ap.add_argument("--dropout-recurrent", type=float, default=0.0)
    ap.add_argument("--dropout-output", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.impl == "fused" and a.dropout_recurrent > 0:
        print("# --impl fused: nn.LSTM has no recurrent dropout; --dropout-recurrent ignored")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.data, "train")
    xte, yte = load(a.data, "t10k")
    model = BiLstmClassifier(a)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    per_epoch = math.ceil(len(xtr) / a.batch)
    total = a.epochs * per_epoch
    cosine = lambda s: 0.5 * (1 + math.cos(math.pi * min(1.0, s / total)))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, cosine if a.schedule == "cosine" else (lambda s: 1.0))
    print(f"# torch {torch.__version__} threads={torch.get_num_threads()} {vars(a)}; "
          f"{per_epoch} updates an epoch, {total} in all")

    start = time.perf_counter()
    best = 0.0
    for ep in range(1, a.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        loss_sum, right = 0.0, 0
        for idx in torch.randperm(len(xtr)).split(a.batch):
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            right += (logits.argmax(1) == ytr[idx]).sum().item()
        train_s = time.perf_counter() - t0
        acc = accuracy(model, xte, yte)
        best = max(best, acc)
        print(f"RESULT fmnist_bi epoch {ep} train_loss={loss_sum / len(xtr):.4f} "
              f"train_acc={right / len(xtr):.4f} test_acc={acc:.4f} train_s={train_s:.1f} "
              f"({len(xtr) / train_s:.0f} ex/s) wall_s={time.perf_counter() - start:.1f}",
              flush=True)
    print(f"SUMMARY fmnist_bi impl={a.impl} epochs={a.epochs} final_test_acc={acc:.4f} "
          f"best_test_acc={best:.4f} wall_s={time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
