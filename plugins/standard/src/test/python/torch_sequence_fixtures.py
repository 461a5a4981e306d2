#!/usr/bin/python3
"""Reference values from PyTorch for Neurite's sequence layers (lstm, gru, simple_rnn).

Regenerate with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 plugins/standard/src/test/python/torch_sequence_fixtures.py \
        > plugins/standard/src/test/resources/torch-sequence-fixtures.json

The cases have the layout of torch_fixtures.py's layers: an input x [batch, time, features], the module's
parameters under Neurite's names (layers.0. + PyTorch's), the output and the gradients of sum(output * r)
for a fixed r. A layer without return_sequences gives the last layer's final states, both directions
concatenated (h_n[-directions:]), as a model that reads a sequence into one vector would.
"""
import json
import torch
import torch.nn as nn

torch.manual_seed(4321)
BATCH = 3


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor(t):
    return {"shape": list(t.shape), "data": flat(t)}


def case(case_id, type_name, params, input_shape, x, module, out, r, rename=lambda name: name, **extra):
    """A layer case: the input, the parameters under Neurite's names, the output, and the gradients of sum(out * r)."""
    named = {"layers.0." + rename(name): p for name, p in module.named_parameters()}
    result = {"id": case_id, "type": type_name, "params": params, "input_shape": input_shape}
    result.update(extra)
    result.update({
        "x": flat(x), "weights": {k: tensor(v) for k, v in named.items()}, "r": flat(r),
        "out": tensor(out), "grad_x": flat(x.grad), "grads": {k: flat(v.grad) for k, v in named.items()},
        "modes": ["TRAINING", "INFERENCE"],
    })
    return result


def recurrent(case_id, type_name, params, steps, features, module, return_sequences, batch=BATCH):
    x = torch.randn(batch, steps, features, requires_grad=True)
    out, h_n = module(x)
    if isinstance(h_n, tuple):  # the LSTM's (h_n, c_n)
        h_n = h_n[0]
    if not return_sequences:
        directions = 2 if module.bidirectional else 1
        out = h_n[-directions:].permute(1, 0, 2).reshape(batch, -1)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, type_name, params, [steps, features], x, module, out, r)


def per_step(case_id, type_name, params, steps, features, module, batch=BATCH):
    """A layer applied to every step of a sequence (dense on [time, features], as nn.Linear on the last axis)."""
    x = torch.randn(batch, steps, features, requires_grad=True)
    out = module(x)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, type_name, params, [steps, features], x, module, out, r)


def embedding(case_id, params, steps, module, batch=BATCH):
    """Token indices [batch, time] into vectors; the weights are recorded before the forward pass (max_norm renorms them in place)."""
    x = torch.randint(0, module.num_embeddings, (batch, steps))
    weights = {"layers.0.weight": tensor(module.weight.detach().clone())}
    out = module(x)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return {
        "id": case_id, "type": "embedding", "params": params, "input_shape": [steps],
        "x": flat(x.float()), "weights": weights, "r": flat(r),
        "out": tensor(out), "grad_x": [0.0] * x.numel(), "grads": {"layers.0.weight": flat(module.weight.grad)},
        "modes": ["TRAINING", "INFERENCE"],
    }


class ChannelsLastConv1d(nn.Module):
    """nn.Conv1d on [batch, time, channels] (Neurite's sequence layout), its params named weight and bias; causal pads left only."""

    def __init__(self, channels, filters, kernel, stride=1, padding=0, dilation=1, causal=False, bias=True):
        super().__init__()
        conv = nn.Conv1d(channels, filters, kernel, stride=stride, dilation=dilation, bias=bias)
        self.weight, self.bias = conv.weight, conv.bias
        self.stride, self.dilation = stride, dilation
        self.pads = ((kernel - 1) * dilation, 0) if causal else (padding, padding)

    def forward(self, x):
        x = nn.functional.pad(x.transpose(1, 2), self.pads)
        return nn.functional.conv1d(x, self.weight, self.bias, stride=self.stride, dilation=self.dilation).transpose(1, 2)


class ChannelsLast(nn.Module):
    """A pooling module of [batch, channels, time] applied to [batch, time, channels]."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return self.module(x.transpose(1, 2)).transpose(1, 2)


class OverTime(nn.Module):
    def __init__(self, reduce):
        super().__init__()
        self.reduce = reduce

    def forward(self, x):
        return self.reduce(x)


def truncated(case_id, type_name, params, steps, features, module, return_sequences, bptt, batch=BATCH):
    """A recurrence whose state is detached every bptt steps (PyTorch's truncated BPTT), run chunk by chunk."""
    x = torch.randn(batch, steps, features, requires_grad=True)
    state, outs = None, []
    for start in range(0, steps, bptt):
        if state is not None:
            state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        out, state = module(x[:, start:start + bptt], state)
        outs.append(out)
    out = torch.cat(outs, dim=1)
    if not return_sequences:
        h_n = state[0] if isinstance(state, tuple) else state
        out = h_n[-1:].permute(1, 0, 2).reshape(batch, -1)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, type_name, params, [steps, features], x, module, out, r, bptt=bptt)


def attention(case_id, params, steps, dim, heads, causal=False, bias=True, batch=BATCH):
    """nn.MultiheadAttention(batch_first=True) on (x, x, x); out_proj.weight and .bias named out_proj_weight and _bias."""
    module = nn.MultiheadAttention(dim, heads, bias=bias, batch_first=True)
    if bias:  # PyTorch starts the biases at zero; random ones test their gradients
        with torch.no_grad():
            module.in_proj_bias.copy_(torch.randn(3 * dim) * 0.3)
            module.out_proj.bias.copy_(torch.randn(dim) * 0.3)
    x = torch.randn(batch, steps, dim, requires_grad=True)
    mask = torch.triu(torch.full((steps, steps), float("-inf")), diagonal=1) if causal else None
    out = module(x, x, x, attn_mask=mask, need_weights=False)[0]
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, "multi_head_attention", params, [steps, dim], x, module, out, r,
                rename=lambda name: name.replace("out_proj.", "out_proj_"))


def encoder(case_id, params, steps, dim, heads, feedforward, activation="relu", norm_first=False, causal=False, batch=BATCH):
    """nn.TransformerEncoderLayer(batch_first=True, dropout=0); Neurite names its params with _ for ."""
    module = nn.TransformerEncoderLayer(dim, heads, feedforward, dropout=0.0, activation=activation, batch_first=True,
                                        norm_first=norm_first)
    with torch.no_grad():  # random norms and attention biases, so that their gradients are tested
        for name, p in module.named_parameters():
            if name.startswith("norm") or name.endswith("in_proj_bias") or name.endswith("out_proj.bias"):
                p.copy_(torch.randn(p.shape) * 0.5 + (1 if name.endswith("weight") else 0))
    module.train()
    x = torch.randn(batch, steps, dim, requires_grad=True)
    mask = torch.triu(torch.full((steps, steps), float("-inf")), diagonal=1) if causal else None
    out = module(x, src_mask=mask)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, "transformer_encoder", params, [steps, dim], x, module, out, r,
                rename=lambda name: name.replace(".", "_"))


class Sinusoidal(nn.Module):
    def forward(self, x):
        steps, dim = x.shape[1], x.shape[2]
        t = torch.arange(steps, dtype=torch.float64).unsqueeze(1)
        j = torch.arange(dim, dtype=torch.float64)
        angle = t / torch.pow(10000.0, (j - j % 2) / dim)
        pe = torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle)).float()
        return x + pe


class Learned(nn.Module):
    def __init__(self, steps, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(steps, dim) * 0.02)

    def forward(self, x):
        return x + self.weight


def rnn(kind, **kw):
    return {"lstm": nn.LSTM, "gru": nn.GRU, "simple_rnn": nn.RNN}[kind](batch_first=True, **kw)


layers = []
for kind in ["lstm", "gru", "simple_rnn"]:
    layers += [
        recurrent(kind, kind, "units: 4", 5, 3, rnn(kind, input_size=3, hidden_size=4), False),
        recurrent(kind + "-sequences", kind, "units: 3, return_sequences: true", 4, 2,
                  rnn(kind, input_size=2, hidden_size=3), True),
        recurrent(kind + "-bidirectional", kind, "units: 3, bidirectional: true", 5, 2,
                  rnn(kind, input_size=2, hidden_size=3, bidirectional=True), False),
        recurrent(kind + "-stacked-bidirectional-sequences", kind,
                  "units: 3, layers: 2, bidirectional: true, return_sequences: true", 4, 3,
                  rnn(kind, input_size=3, hidden_size=3, num_layers=2, bidirectional=True), True),
        recurrent(kind + "-stacked-no-bias", kind, "units: 2, layers: 3, bias: false", 6, 2,
                  rnn(kind, input_size=2, hidden_size=2, num_layers=3, bias=False), False),
        recurrent(kind + "-long-batch20", kind, "units: 8", 30, 4, rnn(kind, input_size=4, hidden_size=8), False, batch=20),
    ]
layers.append(recurrent("simple_rnn-relu", "simple_rnn", "units: 4, nonlinearity: relu, return_sequences: true", 5, 3,
                        nn.RNN(3, 4, nonlinearity="relu", batch_first=True), True))

layers.append(embedding("embedding", "vocabulary: 7, dimension: 3", 5, nn.Embedding(7, 3)))
layers.append(embedding("embedding-padding", "vocabulary: 4, dimension: 2, padding_index: 1", 6, nn.Embedding(4, 2, padding_idx=1), batch=4))
layers.append(embedding("embedding-max-norm", "vocabulary: 6, dimension: 4, max_norm: 1.5", 5, nn.Embedding(6, 4, max_norm=1.5)))
layers += [
    per_step("conv1d", "conv1d", "filters: 4, kernel_size: 3", 7, 2, ChannelsLastConv1d(2, 4, 3)),
    per_step("conv1d-strided-padded-dilated", "conv1d", "filters: 3, kernel_size: 2, stride: 2, padding: 1, dilation: 2", 8, 3,
             ChannelsLastConv1d(3, 3, 2, stride=2, padding=1, dilation=2)),
    per_step("conv1d-causal-no-bias", "conv1d", "filters: 2, kernel_size: 3, dilation: 2, causal: true, bias: false", 6, 2,
             ChannelsLastConv1d(2, 2, 3, dilation=2, causal=True, bias=False)),
    per_step("max_pool1d", "max_pool1d", "kernel_size: 2", 7, 3, ChannelsLast(nn.MaxPool1d(2))),
    per_step("max_pool1d-strided-padded", "max_pool1d", "kernel_size: 3, stride: 2, padding: 1", 8, 2,
             ChannelsLast(nn.MaxPool1d(3, stride=2, padding=1))),
    per_step("avg_pool1d", "avg_pool1d", "kernel_size: 3, stride: 1", 6, 2, ChannelsLast(nn.AvgPool1d(3, stride=1))),
    per_step("avg_pool1d-padded-excluded", "avg_pool1d", "kernel_size: 4, stride: 3, padding: 2, count_include_pad: false", 9, 2,
             ChannelsLast(nn.AvgPool1d(4, stride=3, padding=2, count_include_pad=False))),
    per_step("avg_pool1d-padded-included", "avg_pool1d", "kernel_size: 2, padding: 1", 5, 3,
             ChannelsLast(nn.AvgPool1d(2, padding=1))),
    per_step("global_max_pool1d", "global_max_pool1d", "", 6, 4, OverTime(lambda x: x.max(dim=1).values)),
    per_step("global_avg_pool1d", "global_avg_pool1d", "", 6, 4, OverTime(lambda x: x.mean(dim=1))),
]
layers += [
    truncated("lstm-bptt", "lstm", "units: 3, return_sequences: true", 7, 2, nn.LSTM(2, 3, batch_first=True), True, 3),
    truncated("gru-bptt", "gru", "units: 4", 6, 3, nn.GRU(3, 4, batch_first=True), False, 2),
    truncated("simple_rnn-bptt-stacked", "simple_rnn", "units: 3, layers: 2, return_sequences: true", 5, 2,
              nn.RNN(2, 3, num_layers=2, batch_first=True), True, 2),
    truncated("lstm-bptt-stacked-last", "lstm", "units: 2, layers: 2", 8, 2, nn.LSTM(2, 2, num_layers=2, batch_first=True), False, 3),
]
layers += [
    attention("multi_head_attention", "heads: 2", 5, 6, 2),
    attention("multi_head_attention-causal", "heads: 3, causal: true", 6, 6, 3, causal=True),
    attention("multi_head_attention-one-head-no-bias", "heads: 1, bias: false", 4, 5, 1, bias=False),
    attention("multi_head_attention-three-heads", "heads: 3", 6, 6, 3),
    encoder("transformer_encoder", "heads: 2, feedforward: 8", 5, 6, 2, 8),
    encoder("transformer_encoder-pre-norm-gelu-causal", "heads: 3, feedforward: 10, activation: gelu, norm_first: true, causal: true",
            6, 6, 3, 10, activation="gelu", norm_first=True, causal=True),
    per_step("layer_norm-last-axis", "layer_norm", "last_axis: true", 5, 4, nn.LayerNorm(4)),
    per_step("positional_encoding", "positional_encoding", "", 7, 6, Sinusoidal()),
    per_step("positional_encoding-odd", "positional_encoding", "", 5, 5, Sinusoidal()),
    per_step("positional_encoding-learned", "positional_encoding", "kind: learned", 4, 3, Learned(4, 3)),
]
layers.append(per_step("dense-sequence", "dense", "units: 3", 4, 5, nn.Linear(5, 3)))


def padding(lengths, steps):
    """True where a step is padding, [batch, time], for sequences of these lengths padded at the end."""
    return torch.arange(steps).unsqueeze(0) >= torch.tensor(lengths).unsqueeze(1)


def masked_recurrent(case_id, type_name, params, lengths, steps, features, module, return_sequences):
    """A recurrence over padded sequences, as packed sequences: padded steps output zeros and the last state is the last real one."""
    batch = len(lengths)
    x = torch.randn(batch, steps, features, requires_grad=True)
    packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out, h_n = module(packed)
    out = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=steps)[0]
    if isinstance(h_n, tuple):
        h_n = h_n[0]
    if not return_sequences:
        directions = 2 if module.bidirectional else 1
        out = h_n[-directions:].permute(1, 0, 2).reshape(batch, -1)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, type_name, params, [steps, features], x, module, out, r, lengths=lengths)


def masked_attention(case_id, params, lengths, steps, dim, heads, causal=False):
    """nn.MultiheadAttention with key_padding_mask: no step attends to a padded one."""
    batch = len(lengths)
    module = nn.MultiheadAttention(dim, heads, batch_first=True)
    with torch.no_grad():
        module.in_proj_bias.copy_(torch.randn(3 * dim) * 0.3)
        module.out_proj.bias.copy_(torch.randn(dim) * 0.3)
    x = torch.randn(batch, steps, dim, requires_grad=True)
    mask = torch.triu(torch.full((steps, steps), float("-inf")), diagonal=1) if causal else None
    out = module(x, x, x, attn_mask=mask, key_padding_mask=padding(lengths, steps), need_weights=False)[0]
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, "multi_head_attention", params, [steps, dim], x, module, out, r,
                rename=lambda name: name.replace("out_proj.", "out_proj_"), lengths=lengths)


def masked_encoder(case_id, params, lengths, steps, dim, heads, feedforward, norm_first=False):
    """nn.TransformerEncoderLayer with src_key_padding_mask, in training mode (PyTorch's inference fast path zeroes padded rows)."""
    batch = len(lengths)
    module = nn.TransformerEncoderLayer(dim, heads, feedforward, dropout=0.0, batch_first=True, norm_first=norm_first)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.startswith("norm") or name.endswith("in_proj_bias") or name.endswith("out_proj.bias"):
                p.copy_(torch.randn(p.shape) * 0.5 + (1 if name.endswith("weight") else 0))
    module.train()
    x = torch.randn(batch, steps, dim, requires_grad=True)
    out = module(x, src_key_padding_mask=padding(lengths, steps))
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, "transformer_encoder", params, [steps, dim], x, module, out, r,
                rename=lambda name: name.replace(".", "_"), lengths=lengths)


def masked_reducer(case_id, type_name, lengths, steps, features, reduce):
    """A reducer over the real steps only."""
    batch = len(lengths)
    x = torch.randn(batch, steps, features, requires_grad=True)
    out = reduce(x, ~padding(lengths, steps))
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    return case(case_id, type_name, "", [steps, features], x, nn.Module(), out, r, lengths=lengths)


MASK_LENGTHS = [5, 2, 4, 1]
for kind in ["lstm", "gru", "simple_rnn"]:
    layers += [
        masked_recurrent(kind + "-masked", kind, "units: 3", MASK_LENGTHS, 5, 2, rnn(kind, input_size=2, hidden_size=3), False),
        masked_recurrent(kind + "-masked-stacked-bidirectional-sequences", kind,
                         "units: 3, layers: 2, bidirectional: true, return_sequences: true", MASK_LENGTHS, 5, 2,
                         rnn(kind, input_size=2, hidden_size=3, num_layers=2, bidirectional=True), True),
        masked_recurrent(kind + "-masked-bidirectional-last", kind, "units: 2, bidirectional: true", [6, 3, 1], 6, 3,
                         rnn(kind, input_size=3, hidden_size=2, bidirectional=True), False),
    ]
layers += [
    masked_attention("multi_head_attention-key-padding", "heads: 2", MASK_LENGTHS, 5, 4, 2),
    masked_attention("multi_head_attention-key-padding-causal", "heads: 3, causal: true", [6, 4, 2], 6, 6, 3, causal=True),
    masked_encoder("transformer_encoder-key-padding", "heads: 2, feedforward: 8", MASK_LENGTHS, 5, 4, 2, 8),
    masked_encoder("transformer_encoder-key-padding-pre-norm", "heads: 2, feedforward: 6, norm_first: true", [3, 6, 5], 6, 4, 2, 6,
                   norm_first=True),
    masked_reducer("global_avg_pool1d-masked", "global_avg_pool1d", MASK_LENGTHS, 5, 3,
                   lambda x, m: (x * m.unsqueeze(2)).sum(1) / m.sum(1, keepdim=True)),
    masked_reducer("global_max_pool1d-masked", "global_max_pool1d", MASK_LENGTHS, 5, 3,
                   lambda x, m: x.masked_fill(~m.unsqueeze(2), float("-inf")).max(1).values),
    masked_reducer("last", "last", [5, 5, 5], 5, 3, lambda x, m: x[:, -1]),
    masked_reducer("last-masked", "last", MASK_LENGTHS, 5, 3,
                   lambda x, m: x[torch.arange(len(MASK_LENGTHS)), torch.tensor(MASK_LENGTHS) - 1]),
]


def sequence_loss(case_id, params, scores, target, **kw):
    """softmax_cross_entropy over scores [batch, time, classes]: PyTorch's CrossEntropyLoss on [batch, classes, time]."""
    output = scores.clone().requires_grad_(True)
    value = nn.CrossEntropyLoss(**kw)(output.transpose(1, 2), target if target.dim() == 2 else target.transpose(1, 2))
    value.backward()
    return {"id": case_id, "type": "softmax_cross_entropy", "params": params, "output": tensor(output),
            "target": tensor(target.float()), "loss": float(value), "grad": flat(output.grad)}


steps_scores = torch.randn(3, 5, 4)
losses = [
    sequence_loss("softmax_cross_entropy-per-step", "", steps_scores, torch.randint(0, 4, (3, 5))),
    sequence_loss("softmax_cross_entropy-per-step-smoothed", "label_smoothing: 0.2", steps_scores, torch.randint(0, 4, (3, 5)),
                  label_smoothing=0.2),
    sequence_loss("softmax_cross_entropy-per-step-probabilities", "", steps_scores, torch.softmax(torch.randn(3, 5, 4), dim=2)),
    sequence_loss("softmax_cross_entropy-per-step-padded", "", steps_scores,
                  torch.randint(0, 4, (3, 5)).masked_fill(padding([5, 2, 3], 5), -100)),
    sequence_loss("softmax_cross_entropy-per-step-padded-smoothed", "label_smoothing: 0.1", steps_scores,
                  torch.randint(0, 4, (3, 5)).masked_fill(padding([4, 5, 1], 5), -100), label_smoothing=0.1),
]

print(json.dumps({"torch": torch.__version__, "layers": layers, "losses": losses}))
