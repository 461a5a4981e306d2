#!/usr/bin/python3
"""Reference attributions from PyTorch for Neurite's explainers, on fixed weights.

Regenerate with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 plugins/standard/src/test/python/explain_fixtures.py \
        > plugins/standard/src/test/resources/explain-fixtures.json

Four models (an MLP, a CNN with max pooling, a branching model with add and concat, and an MLP with
batch norm and dropout, explained in inference mode: running statistics, no dropout), three samples
each; the explained output of each sample is its predicted class (argmax). Saliency is |d out / d x|,
gradient x input is d out / d x * x, integrated gradients uses the zero baseline and the trapezoid rule
over `steps` intervals (the gradient at k / steps for k = 0..steps, the end points weighted 1/2), computed
here by autograd in float64 from the float32 weights and inputs.
"""
import json
import torch
import torch.nn as nn

torch.manual_seed(4321)
BATCH = 3
STEPS = 16


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor(t):
    return {"shape": list(t.shape), "data": flat(t)}


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.l0, self.l2 = nn.Linear(6, 8), nn.Linear(8, 3)

    def forward(self, x):
        return self.l2(torch.relu(self.l0(x)))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv, self.dense = nn.Conv2d(1, 3, 3, padding=1), nn.Linear(27, 4)

    def forward(self, x):
        return self.dense(torch.flatten(nn.functional.max_pool2d(torch.relu(self.conv(x)), 2), 1))


class NormDropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.l0, self.bn, self.l4 = nn.Linear(5, 6), nn.BatchNorm1d(6), nn.Linear(6, 3)
        self.drop = nn.Dropout(0.5)
        with torch.no_grad():
            self.bn.weight.copy_(torch.rand(6) + 0.5)
            self.bn.bias.copy_(torch.randn(6) * 0.1)
            self.bn.running_mean.copy_(torch.randn(6) * 0.3)
            self.bn.running_var.copy_(torch.rand(6) + 0.5)

    def forward(self, x):
        return self.l4(self.drop(torch.relu(self.bn(self.l0(x)))))


class Residual(nn.Module):
    """a = dense(x); b = dense(tanh(a)); out = dense(concat(a + b, x)): add, concat and fan-out of x and a."""

    def __init__(self):
        super().__init__()
        self.a, self.b, self.out = nn.Linear(3, 4), nn.Linear(4, 4), nn.Linear(7, 3)

    def forward(self, x):
        a = self.a(x)
        b = self.b(torch.tanh(a))
        return self.out(torch.cat([a + b, x], dim=1))


def gradient(module, x, targets):
    x = x.clone().requires_grad_(True)
    out = module(x)
    out.gather(1, targets.view(-1, 1)).sum().backward()
    return x.grad


def case(case_id, module, names, layers, input_shape):
    x = torch.randn(BATCH, *input_shape)
    weights = {names[name]: tensor(p) for name, p in module.named_parameters()}
    state = {names[name]: tensor(b) for name, b in module.named_buffers() if name in names}
    module.eval()
    m64 = module.double()
    x64 = x.double()
    with torch.no_grad():
        out = m64(x64)
    targets = out.argmax(dim=1)
    g = gradient(m64, x64, targets)
    total = torch.zeros_like(x64)
    for k in range(STEPS + 1):
        w = 0.5 if k in (0, STEPS) else 1.0
        total += w * gradient(m64, x64 * (k / STEPS), targets)
    ig = x64 * total / STEPS
    return {"id": case_id, "layers": layers, "input_shape": list(input_shape), "x": flat(x), "weights": weights, "state": state,
            "out": tensor(out), "targets": [int(t) for t in targets], "steps": STEPS,
            "saliency": flat(g.abs()), "gradient_x_input": flat(g * x64), "integrated_gradients": flat(ig)}


def dense(units, name=None, inputs=()):
    return {"type": "dense", "params": "units: %d" % units, "name": name, "inputs": list(inputs)}


def plain(kind, params="", name=None, inputs=()):
    return {"type": kind, "params": params, "name": name, "inputs": list(inputs)}


cases = [
    case("mlp", Mlp(), {"l0.weight": "layers.0.weight", "l0.bias": "layers.0.bias",
                        "l2.weight": "layers.2.weight", "l2.bias": "layers.2.bias"},
         [dense(8), plain("relu"), dense(3)], [6]),
    case("cnn-max-pool", Cnn(), {"conv.weight": "layers.0.weight", "conv.bias": "layers.0.bias",
                                 "dense.weight": "layers.4.weight", "dense.bias": "layers.4.bias"},
         [plain("conv2d", "filters: 3, kernel_size: 3, padding: 1"), plain("relu"), plain("max_pool2d", "kernel_size: 2"),
          plain("flatten"), dense(4)], [1, 6, 6]),
    case("branching-add-concat", Residual(), {"a.weight": "layers.0.weight", "a.bias": "layers.0.bias",
                                              "b.weight": "layers.2.weight", "b.bias": "layers.2.bias",
                                              "out.weight": "layers.5.weight", "out.bias": "layers.5.bias"},
         [dense(4, "a"), plain("tanh"), dense(4, "b"), plain("add", name="sum", inputs=["a", "b"]),
          plain("concat", inputs=["sum", "input"]), dense(3)], [3]),
    case("mlp-batch-norm-dropout", NormDropout(), {"l0.weight": "layers.0.weight", "l0.bias": "layers.0.bias",
                                                   "bn.weight": "layers.1.weight", "bn.bias": "layers.1.bias",
                                                   "bn.running_mean": "layers.1.running_mean",
                                                   "bn.running_var": "layers.1.running_var",
                                                   "l4.weight": "layers.4.weight", "l4.bias": "layers.4.bias"},
         [dense(6), plain("batch_norm"), plain("relu"), plain("dropout", "rate: 0.5"), dense(3)], [5]),
]

print(json.dumps({"generated_by": "plugins/standard/src/test/python/explain_fixtures.py, torch " + torch.__version__,
                  "cases": cases}, indent=None))
