#!/usr/bin/python3
"""A Neurite run as a PyTorch model: the equivalent torch.nn module built from the run's config.yaml,
with parameter names equal to Neurite's (layers.<index>.<param>), so weights.safetensors loads into it
as it is, and a torch state_dict saved with save_safetensors loads into Neurite (model.init_from).

    neurite_torch.py predict RUN_DIR ROWS.json [--weights FILE]   # prints the outputs, as JSON
    neurite_torch.py init RUN_DIR OUT.safetensors [--seed N]      # torch's own initial weights, saved

ROWS.json is a list of rows of raw features (as the run's data source gives them); the run's fitted
preprocessing (standardize, scale, min_max, clip) is applied first, as Neurite does. Needs torch,
numpy and PyYAML (Debian: python3-torch, python3-yaml). Covers the standard layers of a chain of
layers, the sequence layers included (embedding, lstm, gru, simple_rnn, conv1d, the 1-D pools,
positional_encoding, multi_head_attention, transformer_encoder); named inputs (add, concat) are not built here.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml


def read_safetensors(path):
    """{name: float32 numpy array} and the metadata of a safetensors file (F32 tensors only)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {}
    for name, t in header.items():
        if t["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {t['dtype']}; only F32 is read")
        begin, end = t["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(t["shape"]).copy()
    return tensors, meta


def save_safetensors(path, tensors):
    """Writes {name: tensor} as a safetensors file of F32 tensors, in the given order."""
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        b = np.ascontiguousarray(t.detach().cpu().numpy() if torch.is_tensor(t) else t, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))


def shape_of(text):
    return [int(d) for d in text.strip("[]").split(",") if d.strip()]


def activation(spec):
    """A parameter-free layer of the config as a torch module."""
    if spec is None:
        return None
    kind = spec if isinstance(spec, str) else spec["type"]
    p = {} if isinstance(spec, str) else spec
    if kind == "relu":
        return nn.ReLU()
    if kind == "tanh":
        return nn.Tanh()
    if kind == "sigmoid":
        return nn.Sigmoid()
    if kind == "elu":
        return nn.ELU(alpha=p.get("alpha", 1.0))
    if kind == "leaky_relu":
        return nn.LeakyReLU(negative_slope=p.get("negative_slope", 0.01))
    if kind == "gelu":
        return nn.GELU(approximate=p.get("approximate", "none"))
    if kind == "softplus":
        return nn.Softplus(beta=p.get("beta", 1.0), threshold=p.get("threshold", 20))
    if kind == "swish":
        return nn.SiLU()
    if kind == "softmax":
        return nn.Softmax(dim=-1)
    if kind == "log_softmax":
        return nn.LogSoftmax(dim=-1)
    if kind in ("dropout", "gaussian_noise"):
        return nn.Identity()  # inference mode
    if kind == "flatten":
        return nn.Flatten()
    raise ValueError(f"layer type {kind} is not built by this script")


class Fused(nn.Module):
    """A dense or conv2d layer with its fused activation; its params keep the layer's own names."""

    def __init__(self, layer, act):
        super().__init__()
        self.weight = layer.weight
        self.bias = layer.bias
        self.layer = [layer]  # not a submodule: no second set of names
        self.act = act

    def forward(self, x):
        y = self.layer[0](x)
        return self.act(y) if self.act is not None else y


class Reshape(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape([x.shape[0]] + self.shape)


class Embedding(nn.Module):
    """nn.Embedding reading Neurite's float token indices."""

    def __init__(self, vocabulary, dimension, padding_index=None, max_norm=None):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(vocabulary, dimension))
        self.padding_index, self.max_norm = padding_index, max_norm

    def forward(self, x):
        return F.embedding(x.long(), self.weight, self.padding_index, self.max_norm)


def recurrent(kind, into, spec):
    """nn.LSTM, nn.GRU or nn.RNN (batch_first) whose output is Neurite's: every step, or the last layer's final states."""
    base = {"lstm": nn.LSTM, "gru": nn.GRU, "simple_rnn": nn.RNN}[kind]
    kw = dict(input_size=into[-1], hidden_size=spec["units"], num_layers=spec.get("layers", 1), bias=spec.get("bias", True),
              batch_first=True, bidirectional=spec.get("bidirectional", False))
    if kind == "simple_rnn":
        kw["nonlinearity"] = spec.get("nonlinearity", "tanh")
    sequences = spec.get("return_sequences", False)

    class Recurrent(base):
        def forward(self, x):
            out, h = super().forward(x)
            if sequences:
                return out
            h = h[0] if isinstance(h, tuple) else h
            d = 2 if self.bidirectional else 1
            return h[-d:].permute(1, 0, 2).reshape(x.shape[0], -1)

    return Recurrent(**kw)


class Conv1d(nn.Module):
    """nn.Conv1d on Neurite's channels-last sequences [batch, time, channels]; causal pads on the left only."""

    def __init__(self, channels, spec):
        super().__init__()
        k, self.dilation, self.stride = spec["kernel_size"], spec.get("dilation", 1), spec.get("stride", 1)
        conv = nn.Conv1d(channels, spec["filters"], k, stride=self.stride, dilation=self.dilation, bias=spec.get("bias", True))
        self.weight, self.bias = conv.weight, conv.bias
        pad = spec.get("padding", 0)
        self.pads = ((k - 1) * self.dilation, 0) if spec.get("causal", False) else (pad, pad)

    def forward(self, x):
        x = F.pad(x.transpose(1, 2), self.pads)
        return F.conv1d(x, self.weight, self.bias, stride=self.stride, dilation=self.dilation).transpose(1, 2)


class ChannelsLast(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return self.module(x.transpose(1, 2)).transpose(1, 2)


class OverTime(nn.Module):
    def __init__(self, largest):
        super().__init__()
        self.largest = largest

    def forward(self, x):
        return x.max(dim=1).values if self.largest else x.mean(dim=1)


class Last(nn.Module):
    """Neurite's last: the last step of [batch, time, features]."""

    def forward(self, x):
        return x[:, -1]


def padding_mask_note(where):
    """A Neurite padding mask has no counterpart in these plain modules: say so rather than differ silently."""
    print(f"neurite_torch: {where} starts a padding mask in Neurite; this PyTorch model reads padded steps as real "
          "ones (pack the sequences, or pass key_padding_mask, to get Neurite's outputs on padded input)", file=sys.stderr)


class PositionalEncoding(nn.Module):
    def __init__(self, shape, learned):
        super().__init__()
        if learned:
            self.weight = nn.Parameter(torch.randn(*shape) * 0.02)
        else:
            t = torch.arange(shape[0], dtype=torch.float64).unsqueeze(1)
            j = torch.arange(shape[1], dtype=torch.float64)
            angle = t / torch.pow(10000.0, (j - j % 2) / shape[1])
            self.table = torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle)).float()

    def forward(self, x):
        return x + (self.weight if hasattr(self, "weight") else self.table)


class SelfAttention(nn.Module):
    """nn.MultiheadAttention on (x, x, x) with Neurite's param names (out_proj_weight for out_proj.weight)."""

    def __init__(self, dim, spec):
        super().__init__()
        mha = nn.MultiheadAttention(dim, spec["heads"], bias=spec.get("bias", True))
        self.in_proj_weight, self.in_proj_bias = mha.in_proj_weight, mha.in_proj_bias
        self.out_proj_weight, self.out_proj_bias = mha.out_proj.weight, mha.out_proj.bias
        self.heads, self.causal = spec["heads"], spec.get("causal", False)
        self.dropout = spec.get("dropout", 0.0)

    def forward(self, x):
        q = x.transpose(0, 1)
        steps = q.shape[0]
        mask = torch.triu(torch.full((steps, steps), float("-inf")), diagonal=1) if self.causal else None
        out, _ = F.multi_head_attention_forward(q, q, q, q.shape[-1], self.heads, self.in_proj_weight, self.in_proj_bias, None, None,
                                                False, self.dropout, self.out_proj_weight, self.out_proj_bias, training=self.training,
                                                need_weights=False, attn_mask=mask)
        return out.transpose(0, 1)


class TransformerEncoder(nn.Module):
    """nn.TransformerEncoderLayer(batch_first=True) with Neurite's param names (_ for .) and its dropout (0 by default)."""

    def __init__(self, dim, spec):
        super().__init__()
        block = nn.TransformerEncoderLayer(dim, spec["heads"], spec.get("feedforward", 2048), dropout=spec.get("dropout", 0.0),
                                           activation=spec.get("activation", "relu"), batch_first=True,
                                           norm_first=spec.get("norm_first", False), layer_norm_eps=spec.get("eps", 1e-5))
        for name, param in block.named_parameters():
            setattr(self, name.replace(".", "_"), param)
        self.block = [block]  # not a submodule: its params are registered above under Neurite's names
        self.causal = spec.get("causal", False)

    def forward(self, x):
        steps = x.shape[1]
        mask = torch.triu(torch.full((steps, steps), float("-inf")), diagonal=1) if self.causal else None
        self.block[0].train(self.training)  # not a submodule, so eval() and train() do not reach it
        return self.block[0](x, src_mask=mask)


def build(run_dir):
    """The run's model as torch.nn.Sequential-like module `layers`, in inference mode."""
    with open(f"{run_dir}/config.yaml") as f:
        config = yaml.safe_load(f)
    with open(f"{run_dir}/summary.json") as f:
        summary = json.load(f)
    shapes = [shape_of(summary["model"]["input"])] + [shape_of(l["output"]) for l in summary["model"]["layers"]]
    modules = []
    for i, spec in enumerate(config["model"]["layers"]):
        kind = spec if isinstance(spec, str) else spec["type"]
        if not isinstance(spec, str) and spec.get("inputs"):
            raise ValueError("named inputs (a branching model) are not built by this script")
        into, out = shapes[i], shapes[i + 1]
        if kind == "dense":
            m = Fused(nn.Linear(into[-1], spec["units"], bias=spec.get("bias", True)), activation(spec.get("activation")))
        elif kind == "conv2d":
            conv = nn.Conv2d(into[0], spec["filters"], spec["kernel_size"], stride=spec.get("stride", 1), padding=spec.get("padding", 0),
                             dilation=spec.get("dilation", 1), bias=spec.get("bias", True))
            m = Fused(conv, activation(spec.get("activation")))
        elif kind == "max_pool2d":
            m = nn.MaxPool2d(spec["kernel_size"], stride=spec.get("stride") or spec["kernel_size"], padding=spec.get("padding", 0))
        elif kind == "avg_pool2d":
            m = nn.AvgPool2d(spec["kernel_size"], stride=spec.get("stride") or spec["kernel_size"], padding=spec.get("padding", 0),
                             count_include_pad=spec.get("count_include_pad", True))
        elif kind == "global_avg_pool2d":
            m = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
        elif kind == "batch_norm":
            m = (nn.BatchNorm2d if len(into) == 3 else nn.BatchNorm1d)(into[0], eps=spec.get("eps", 1e-5) if isinstance(spec, dict) else 1e-5)
        elif kind == "layer_norm":
            last = isinstance(spec, dict) and spec.get("last_axis", False)
            m = nn.LayerNorm(into[-1:] if last else into, eps=spec.get("eps", 1e-5) if isinstance(spec, dict) else 1e-5)
        elif kind == "reshape":
            m = Reshape(out)
        elif kind == "embedding":
            m = Embedding(spec["vocabulary"], spec["dimension"], spec.get("padding_index"), spec.get("max_norm"))
            if spec.get("padding_index") is not None and spec.get("mask", True):
                padding_mask_note(f"model.layers[{i}] (embedding with padding_index)")
        elif kind == "masking":
            m = nn.Identity()
            padding_mask_note(f"model.layers[{i}] (masking)")
        elif kind == "last":
            m = Last()
        elif kind in ("lstm", "gru", "simple_rnn"):
            m = recurrent(kind, into, spec)
        elif kind == "conv1d":
            m = Conv1d(into[-1], spec)
        elif kind == "max_pool1d":
            m = ChannelsLast(nn.MaxPool1d(spec["kernel_size"], stride=spec.get("stride") or spec["kernel_size"], padding=spec.get("padding", 0)))
        elif kind == "avg_pool1d":
            m = ChannelsLast(nn.AvgPool1d(spec["kernel_size"], stride=spec.get("stride") or spec["kernel_size"], padding=spec.get("padding", 0),
                                          count_include_pad=spec.get("count_include_pad", True)))
        elif kind in ("global_max_pool1d", "global_avg_pool1d"):
            m = OverTime(kind == "global_max_pool1d")
        elif kind == "positional_encoding":
            m = PositionalEncoding(into, isinstance(spec, dict) and spec.get("kind") == "learned")
        elif kind == "multi_head_attention":
            m = SelfAttention(into[-1], spec)
        elif kind == "transformer_encoder":
            m = TransformerEncoder(into[-1], spec)
        else:
            m = activation(spec)
        modules.append(m)
    model = nn.Sequential()
    for i, m in enumerate(modules):
        model.add_module(str(i), m)
    root = nn.Module()
    root.layers = model
    root.eval()
    return root


def preprocess(run_dir, x):
    """The run's fitted preprocessing, as Neurite applies it (float32)."""
    with open(f"{run_dir}/config.yaml") as f:
        config = yaml.safe_load(f)
    try:
        state, _ = read_safetensors(f"{run_dir}/transforms.safetensors")
    except FileNotFoundError:
        state = {}
    for i, t in enumerate(config["data"].get("transforms") or []):
        kind = t if isinstance(t, str) else t["type"]
        key = f"transforms.{i}."
        if kind == "standardize":
            x = (x - state[key + "mean"].reshape(-1)) / state[key + "std"].reshape(-1)
        elif kind == "scale":
            x = (x - np.float32(t.get("subtract", 0))) / np.float32(t.get("divide_by", 1))
        elif kind == "clip":
            x = np.clip(x, np.float32(t["min"]), np.float32(t["max"]))
        else:
            raise ValueError(f"transform {kind} is not applied by this script")
    return x.astype(np.float32)


def main(argv):
    if len(argv) >= 3 and argv[0] == "predict":
        run_dir, rows = argv[1], argv[2]
        weights = argv[argv.index("--weights") + 1] if "--weights" in argv else f"{run_dir}/weights.safetensors"
        model = build(run_dir)
        tensors, _ = read_safetensors(weights)
        model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
        with open(rows) as f:
            x = preprocess(run_dir, np.asarray(json.load(f), dtype=np.float32))
        with torch.no_grad():
            y = model.layers(torch.from_numpy(x))
        print(json.dumps(y.reshape(len(x), -1).tolist()))
        return 0
    if len(argv) >= 3 and argv[0] == "init":
        torch.manual_seed(int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0)
        model = build(argv[1])
        save_safetensors(argv[2], model.state_dict())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
