#!/usr/bin/python3
"""configs/fortunes-char.yaml in PyTorch: the same text, windows, split, vocabulary, model, optimizer and
schedule, for the side-by-side figure in the README (test bits per character).

    /usr/bin/python3 configs/torch/fortunes_char.py [FORTUNES_DIR] [--threads N]

Needs Debian's python3-torch and fortunes. What it mirrors, as Neurite does it:
- the files joined by newlines, one token per Unicode code point;
- windows of 64 tokens with stride 64, each with the 64 next tokens as targets;
- the windows split in order: test and validation are round(5 %) each, at the end; training is the rest;
- the vocabulary of the training windows (their tokens and each one's last target), by count, ties by
  first appearance, at most 100 entries with 0 for any other character;
- embedding 100 x 32 (N(0, 1)), LSTM 32 -> 128 (PyTorch's initialization, forget-gate bias_ih + 1),
  linear 128 -> 100 (Xavier-uniform weight, zero bias); Adam lr 0.002, cosine annealing per epoch over
  20 epochs, gradient norm clipped to 5, batches of 32 shuffled each epoch, 20 epochs.
The random numbers (initial weights, shuffling) are PyTorch's own, so the figures agree within noise,
not bit for bit.
"""
import math
import sys
import time

import torch
import torch.nn as nn

FILES = ["fortunes", "literature", "science", "computers"]
WINDOW, LIMIT, EMBED, UNITS, BATCH, EPOCHS, LR, CLIP = 64, 100, 32, 128, 32, 20, 0.002, 5.0

args = sys.argv[1:]
if "--threads" in args:
    at = args.index("--threads")
    torch.set_num_threads(int(args[at + 1]))
    del args[at:at + 2]
folder = args[0] if args else "/usr/share/games/fortunes"
torch.manual_seed(1)

text = "\n".join(open(f"{folder}/{name}", encoding="utf-8").read() for name in FILES)
tokens = [ord(c) for c in text]
windows = (len(tokens) - WINDOW - 1) // WINDOW + 1
x = [tokens[w * WINDOW:w * WINDOW + WINDOW] for w in range(windows)]
y = [tokens[w * WINDOW + 1:w * WINDOW + WINDOW + 1] for w in range(windows)]
n_test = round(windows * 0.05)
n_val = round(windows * 0.05)
n_train = windows - n_test - n_val

counts, first, seen = {}, {}, 0
for w in range(n_train):
    for v in x[w] + [y[w][-1]]:
        counts[v] = counts.get(v, 0) + 1
        first.setdefault(v, seen)
        seen += 1
order = sorted(counts, key=lambda v: (-counts[v], first[v]))[:LIMIT - 1]
index = {v: i + 1 for i, v in enumerate(order)}


def encode(rows):
    return torch.tensor([[index.get(v, 0) for v in row] for row in rows], dtype=torch.long)


X, Y = encode(x), encode(y)
train = (X[:n_train], Y[:n_train])
test = (X[n_train + n_val:], Y[n_train + n_val:])


class CharModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(LIMIT, EMBED)
        self.lstm = nn.LSTM(EMBED, UNITS, batch_first=True)
        self.dense = nn.Linear(UNITS, LIMIT)
        with torch.no_grad():
            self.lstm.bias_ih_l0[UNITS:2 * UNITS] += 1
            nn.init.xavier_uniform_(self.dense.weight)
            self.dense.bias.zero_()

    def forward(self, ids):
        return self.dense(self.lstm(self.embedding(ids))[0])


model = CharModel()
opt = torch.optim.Adam(model.parameters(), lr=LR)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
loss_fn = nn.CrossEntropyLoss()


def bits_per_character(data):
    model.eval()
    with torch.no_grad():
        nats = sum(loss_fn(model(data[0][i:i + 256]).reshape(-1, LIMIT), data[1][i:i + 256].reshape(-1)).item()
                   * data[0][i:i + 256].numel() for i in range(0, len(data[0]), 256))
    model.train()
    return nats / data[0].numel() / math.log(2)


print(f"# {len(text)} characters, {windows} windows: {n_train} train, {n_val} validation, {n_test} test; "
      f"vocabulary {len(index) + 1}; torch {torch.__version__}, {torch.get_num_threads()} threads")
for epoch in range(EPOCHS):
    t0 = time.time()
    perm = torch.randperm(n_train)
    for i in range(0, n_train, BATCH):
        b = perm[i:i + BATCH]
        opt.zero_grad()
        loss = loss_fn(model(train[0][b]).reshape(-1, LIMIT), train[1][b].reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        opt.step()
    sched.step()
    print(f"epoch {epoch + 1}/{EPOCHS}  last batch loss {loss.item():.4f}  ({time.time() - t0:.1f} s)", flush=True)
print(f"RESULT torch fortunes-char test_bits_per_character={bits_per_character(test):.4f}")
