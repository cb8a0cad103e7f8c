#!/usr/bin/env python3
"""PyTorch reference for conf/g2p.conf (float32, CPU, one process).

Grapheme-to-phoneme conversion on the CMU Pronouncing Dictionary split that
`jobs/fetch-data cmudict` writes (data/cmudict/train.tsv and test.tsv: a word, a tab, its
phonemes). The model of the conf: the word's letters one-hot into a bidirectional LSTM encoder
of H per direction (--hidden, the conf's model.hidden) whose two directions' states are added
(per step: the attention memory; final states: the decoder's initial state), a one-layer LSTM
decoder of H reading the previous phoneme one-hot (the end-of-sequence symbol first: teacher
forcing), Luong dot-product attention (global, no input feeding) and tanh([context; h] W + b)
into the softmax; cross-entropy averaged over the real target tokens. In training, dropout
(--dropout, the conf's model.dropout.output) on the attention memory and on the decoder's
states, as the job applies it. Adam (lr 3e-3, decayed to 0 along half a cosine over the run's
updates; --schedule constant keeps it), gradients clipped to a global norm of 5, minibatches of
32 in a fresh order each epoch, 10 epochs. Vocabularies as the job builds them:
source <unk> then the sorted letters; target </s>, <unk>, then the sorted phonemes.

What differs from the Spark run: one process takes every minibatch in turn (3,730 updates an
epoch), where the Spark job trains two shards and averages them every 20 minibatches; PyTorch
initialises its own way (uniform +-1/sqrt(H), two bias vectors); the random numbers differ.
Held-out figures: greedy decoding after every epoch, beam 5 (length normalisation
log p / length^0.6) at the end; words/s of each.

  jobs/pytorch jobs/pytorch-g2p.py [--hidden 256] [--dropout 0.2] [--epochs 10] [--threads 2]
Prints one RESULT line per epoch and a SUMMARY line.
"""
import argparse
import math
import random
import sys
import time

if __name__ == "__main__" and any(a in ("-h", "--help") for a in sys.argv[1:]):
    print(__doc__)  # the usage needs no PyTorch, which the machine may not have
    sys.exit(0)

import torch  # noqa: E402 (after the --help answer above)
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

EOS = 0


def read_pairs(path):
    pairs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if "\t" not in line:
                raise SystemExit(f"{path} line {n}: no tab")
            word, phones = line.split("\t", 1)
            pairs.append((list(word), phones.split()))
    return pairs


class G2P(nn.Module):
    def __init__(self, sources, targets, hidden, dropout=0.0):
        super().__init__()
        self.sources, self.targets, self.hidden = sources, targets, hidden
        self.dropout = dropout  # model.dropout.output: on the memory and the decoder's states
        self.encoder = nn.LSTM(sources, hidden, bidirectional=True)
        self.decoder = nn.LSTM(targets, hidden)
        self.attn = nn.Linear(2 * hidden, hidden)
        self.out = nn.Linear(hidden, targets)

    def encode(self, src, lengths):
        """src [T, B] ids -> memory [T, B, H] (directions added), mask [B, T], (h, c) [1, B, H]."""
        x = F.one_hot(src, self.sources).float()
        packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
        out, (h, c) = self.encoder(packed)
        out, _ = pad_packed_sequence(out, total_length=src.shape[0])
        memory = out[:, :, :self.hidden] + out[:, :, self.hidden:]
        memory = F.dropout(memory, self.dropout, self.training)
        mask = torch.arange(src.shape[0])[None, :] < lengths[:, None]
        return memory, mask, (h.sum(0, keepdim=True), c.sum(0, keepdim=True))

    def head(self, dec, memory, mask):
        """dec [Td, B, H] -> logits [Td, B, V]."""
        scores = torch.einsum("tbh,sbh->bts", dec, memory)
        scores = scores.masked_fill(~mask[:, None, :], float("-inf"))
        a = torch.softmax(scores, dim=-1)
        context = torch.einsum("bts,sbh->tbh", a, memory)
        return self.out(torch.tanh(self.attn(torch.cat([context, dec], dim=-1))))

    def forward(self, src, lengths, dec_in):
        memory, mask, state = self.encode(src, lengths)
        dec, _ = self.decoder(F.one_hot(dec_in, self.targets).float(), state)
        return self.head(F.dropout(dec, self.dropout, self.training), memory, mask)

    def step(self, tokens, state, memory, mask):
        dec, state = self.decoder(F.one_hot(tokens, self.targets).float()[None], state)
        return torch.log_softmax(self.head(dec, memory, mask)[0], dim=-1), state


def batch(pairs, src_ids, tgt_ids):
    lengths = torch.tensor([len(s) for s, _ in pairs])
    ts, td = int(lengths.max()), max(len(t) for _, t in pairs) + 1
    src = torch.zeros(ts, len(pairs), dtype=torch.long)
    dec_in = torch.zeros(td, len(pairs), dtype=torch.long)
    dec_out = torch.full((td, len(pairs)), -100, dtype=torch.long)
    for b, (s, t) in enumerate(pairs):
        src[:len(s), b] = torch.tensor([src_ids.get(c, 0) for c in s])
        y = [tgt_ids.get(p, 1) for p in t]
        dec_in[1:len(y) + 1, b] = torch.tensor(y, dtype=torch.long)
        dec_out[:len(y) + 1, b] = torch.tensor(y + [EOS])
    return src, lengths, dec_in, dec_out


@torch.no_grad()
def greedy(model, words, src_ids, max_len=40, chunk=256):
    out = []
    for i in range(0, len(words), chunk):
        src, lengths, _, _ = batch([(w, []) for w in words[i:i + chunk]], src_ids, {})
        memory, mask, state = model.encode(src, lengths)
        tokens = torch.zeros(src.shape[1], dtype=torch.long)
        written = [[] for _ in range(src.shape[1])]
        done = torch.zeros(src.shape[1], dtype=torch.bool)
        for _ in range(max_len):
            logp, state = model.step(tokens, state, memory, mask)
            tokens = logp.argmax(-1)
            for b in range(len(written)):
                if not done[b] and tokens[b] != EOS:
                    written[b].append(int(tokens[b]))
            done |= tokens == EOS
            if done.all():
                break
        out.extend(written)
    return out


@torch.no_grad()
def beam(model, words, src_ids, width=5, alpha=0.6, max_len=40):
    """Per word: the width best live hypotheses; EOS finishes one (score log p / len^alpha);
    a word is done when its likeliest hypothesis writes EOS, or at the maximum length (as the
    job's decoder, Seq2SeqDecoder)."""
    out = []
    for w in words:
        src, lengths, _, _ = batch([(w, [])], src_ids, {})
        memory, mask, (h, c) = model.encode(src, lengths)
        live = [(0.0, [], (h, c))]
        finished = []
        for _ in range(max_len):
            tokens = torch.tensor([hyp[-1] if hyp else EOS for _, hyp, _ in live])
            state = (torch.cat([s[0] for _, _, s in live], 1), torch.cat([s[1] for _, _, s in live], 1))
            k = len(live)
            logp, (hn, cn) = model.step(tokens, state, memory.expand(-1, k, -1), mask.expand(k, -1))
            scores = (torch.tensor([s for s, _, _ in live])[:, None] + logp).flatten()
            top = torch.topk(scores, min(2 * width, scores.numel()))
            nxt = []
            done = False
            for rank, (sc, idx) in enumerate(zip(top.values.tolist(), top.indices.tolist())):
                row, tok = divmod(idx, logp.shape[1])
                hyp = live[row][1]
                if tok == EOS:
                    finished.append((sc / (len(hyp) + 1) ** alpha, hyp))
                    done = rank == 0  # the likeliest hypothesis has ended
                    if done:
                        break
                    continue
                nxt.append((sc, hyp + [tok], (hn[:, row:row + 1], cn[:, row:row + 1])))
                if len(nxt) >= width:
                    break
            if done or not nxt:
                break
            live = nxt
        else:
            finished.extend((s / max(1, len(hyp)) ** alpha, hyp) for s, hyp, _ in live)
        out.append(max(finished, key=lambda f: f[0])[1])
    return out


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j - 1] + (a[i - 1] != b[j - 1]), prev[j] + 1, cur[j - 1] + 1)
        prev = cur
    return prev[-1]


def score(refs, hyps):
    wrong = sum(r != h for r, h in zip(refs, hyps))
    edits = sum(edit_distance(r, h) for r, h in zip(refs, hyps))
    return wrong / len(refs), edits / sum(len(r) for r in refs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", default="data/cmudict/train.tsv")
    ap.add_argument("--test", default="data/cmudict/test.tsv")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--schedule", choices=["cosine", "constant"], default="cosine")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    train, test = read_pairs(args.train), read_pairs(args.test)
    src_vocab = ["<unk>"] + sorted({c for s, _ in train for c in s})
    tgt_vocab = ["</s>", "<unk>"] + sorted({p for _, t in train for p in t})
    src_ids = {c: i for i, c in enumerate(src_vocab)}
    tgt_ids = {p: i for i, p in enumerate(tgt_vocab)}
    model = G2P(len(src_vocab), len(tgt_vocab), args.hidden, args.dropout)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    updates = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    cosine = lambda k: 0.5 * (1 + math.cos(math.pi * min(1.0, k / updates)))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, cosine if args.schedule == "cosine" else (lambda k: 1.0))
    refs = [[tgt_ids.get(p, 1) for p in t] for _, t in test]
    words = [s for s, _ in test]
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads, hidden {args.hidden},"
          f" dropout {args.dropout}, {len(train)} training"
          f" and {len(test)} test pairs, {sum(p.numel() for p in model.parameters())} parameters")
    began = time.time()
    train_seconds = 0.0
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        model.train()
        order = list(range(len(train)))
        rng.shuffle(order)
        total, count = 0.0, 0
        for i in range(0, len(order), args.batch):
            src, lengths, dec_in, dec_out = batch([train[j] for j in order[i:i + args.batch]],
                                                  src_ids, tgt_ids)
            logits = model(src, lengths, dec_in)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), dec_out.reshape(-1),
                                   ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            n = int((dec_out != -100).sum())
            total, count = total + float(loss) * n, count + n
        seconds = time.time() - t0
        train_seconds += seconds
        model.eval()
        t1 = time.time()
        hyps = greedy(model, words, src_ids)
        greedy_seconds = time.time() - t1
        wer, per = score(refs, hyps)
        print(f"RESULT epoch {epoch} train_loss {total / count:.4f} wer {wer:.4f} per {per:.4f}"
              f" train_s {seconds:.1f} pairs_per_s {len(train) / seconds:.0f}"
              f" greedy_words_per_s {len(words) / greedy_seconds:.0f}", flush=True)
    t2 = time.time()
    hyps5 = beam(model, words, src_ids)
    beam_seconds = time.time() - t2
    wer5, per5 = score(refs, hyps5)
    print(f"SUMMARY epochs {args.epochs} train_s {train_seconds:.0f} greedy_wer {wer:.4f}"
          f" greedy_per {per:.4f} greedy_words_per_s {len(words) / greedy_seconds:.0f}"
          f" beam5_wer {wer5:.4f} beam5_per {per5:.4f} beam5_words_per_s"
          f" {len(words) / beam_seconds:.0f} wall_s {time.time() - began:.0f}")


if __name__ == "__main__":
    main()
