#!/usr/bin/python3
"""Reference values from PyTorch for Neurite's standard layers, losses and optimizers.

Regenerate with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 plugins/standard/src/test/python/torch_fixtures.py \
        > plugins/standard/src/test/resources/torch-fixtures.json

Every case is float32. Layers: an input x, the module's parameters, the output, and the gradients of
sum(output * r) for a fixed r. Losses: outputs, targets, the loss and its gradient. Optimizers: small
starting params, five steps of gradients, and the params after each step (weights decay, biases do
not, as in Neurite: a second param group with weight_decay 0).
"""
import json
import torch
import torch.nn as nn

torch.manual_seed(1234)
BATCH = 3


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor(t):
    return {"shape": list(t.shape), "data": flat(t)}


def layer(case_id, type_name, params, input_shape, module, positive=False, training_only=False, batch=BATCH):
    x = torch.randn(batch, *input_shape)
    if positive:
        x = x.abs() + 0.1
    x.requires_grad_(True)
    named = {}
    for name, p in module.named_parameters():
        named["layers.0." + name] = p
    if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)):
        with torch.no_grad():
            for p in module.parameters():
                p.copy_(torch.randn(p.shape))
    module.train()
    out = module(x)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    case = {
        "id": case_id, "type": type_name, "params": params, "input_shape": list(input_shape),
        "x": flat(x), "weights": {k: tensor(v) for k, v in named.items()}, "r": flat(r),
        "out": tensor(out), "grad_x": flat(x.grad), "grads": {k: flat(v.grad) for k, v in named.items()},
        "modes": ["TRAINING"] if training_only else ["TRAINING", "INFERENCE"],
    }
    buffers = {name: flat(b) for name, b in module.named_buffers() if name.startswith("running")}
    if buffers:
        case["state"] = buffers
    return case


class LinearRelu(nn.Module):
    """nn.Linear followed by ReLU, with the parameter names of a single layer (weight, bias)."""

    def __init__(self, n_in, n_out):
        super().__init__()
        linear = nn.Linear(n_in, n_out)
        self.weight, self.bias = linear.weight, linear.bias

    def forward(self, x):
        return torch.relu(nn.functional.linear(x, self.weight, self.bias))


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


layers = [
    layer("dense", "dense", "units: 4", [5], nn.Linear(5, 4)),
    layer("dense-no-bias", "dense", "units: 3, bias: false", [4], nn.Linear(4, 3, bias=False)),
    layer("sigmoid", "sigmoid", "", [6], nn.Sigmoid()),
    layer("tanh", "tanh", "", [6], nn.Tanh()),
    layer("relu", "relu", "", [6], nn.ReLU()),
    layer("softmax", "softmax", "", [6], nn.Softmax(dim=1)),
    layer("leaky_relu", "leaky_relu", "negative_slope: 0.1", [6], nn.LeakyReLU(0.1)),
    layer("elu", "elu", "alpha: 0.7", [6], nn.ELU(alpha=0.7)),
    layer("gelu", "gelu", "", [6], nn.GELU()),
    layer("gelu-tanh", "gelu", "approximate: tanh", [6], nn.GELU(approximate="tanh")),
    layer("swish", "swish", "", [6], nn.SiLU()),
    layer("softplus", "softplus", "beta: 2, threshold: 1.5", [6], nn.Softplus(beta=2, threshold=1.5)),
    layer("log_softmax", "log_softmax", "", [6], nn.LogSoftmax(dim=1)),
    layer("flatten", "flatten", "", [2, 3, 2], nn.Flatten()),
    layer("reshape", "reshape", "shape: [3, -1]", [6], Reshape(3, 2)),
    layer("conv2d", "conv2d", "filters: 4, kernel_size: 3", [2, 6, 5], nn.Conv2d(2, 4, 3)),
    layer("conv2d-strided", "conv2d", "filters: 3, kernel_size: 3, stride: 2, padding: 1", [2, 7, 6],
          nn.Conv2d(2, 3, 3, stride=2, padding=1)),
    layer("conv2d-dilated", "conv2d", "filters: 2, kernel_size: 2, dilation: 2, bias: false", [3, 6, 6],
          nn.Conv2d(3, 2, 2, dilation=2, bias=False)),
    layer("max_pool2d", "max_pool2d", "kernel_size: 2", [2, 4, 6], nn.MaxPool2d(2)),
    layer("max_pool2d-overlapping", "max_pool2d", "kernel_size: 3, stride: 2, padding: 1", [2, 7, 5],
          nn.MaxPool2d(3, stride=2, padding=1)),
    layer("conv2d-strided-unpadded", "conv2d", "filters: 2, kernel_size: 3, stride: 2", [2, 7, 8], nn.Conv2d(2, 2, 3, stride=2)),
    # more samples than one weight-gradient group (16) of conv2d
    layer("conv2d-batch20", "conv2d", "filters: 3, kernel_size: 3, padding: 1", [2, 5, 5], nn.Conv2d(2, 3, 3, padding=1), batch=20),
    layer("max_pool2d-strided", "max_pool2d", "kernel_size: 3, stride: 2", [2, 7, 8], nn.MaxPool2d(3, stride=2)),
    layer("avg_pool2d", "avg_pool2d", "kernel_size: 2", [2, 4, 6], nn.AvgPool2d(2)),
    layer("avg_pool2d-padded", "avg_pool2d", "kernel_size: 3, stride: 2, padding: 1", [2, 7, 5],
          nn.AvgPool2d(3, stride=2, padding=1)),
    layer("avg_pool2d-padded-exclusive", "avg_pool2d", "kernel_size: 3, stride: 2, padding: 1, count_include_pad: false",
          [2, 7, 5], nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)),
    layer("global_avg_pool2d", "global_avg_pool2d", "", [3, 4, 5], nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())),
    layer("dense-fused-relu", "dense", "units: 4, activation: relu", [5], LinearRelu(5, 4)),
    layer("batch_norm-1d", "batch_norm", "", [4], nn.BatchNorm1d(4), training_only=True, batch=5),
    layer("batch_norm-2d", "batch_norm", "momentum: 0.2", [3, 2, 3], nn.BatchNorm2d(3, momentum=0.2), training_only=True, batch=4),
    layer("layer_norm", "layer_norm", "", [2, 3], nn.LayerNorm([2, 3])),
]


class Residual(nn.Module):
    """a = dense(x); b = dense(tanh(a)); out = dense(concat(a + b, x)): add, concat and fan-out of x and a."""

    def __init__(self):
        super().__init__()
        self.a, self.b, self.out = nn.Linear(3, 4), nn.Linear(4, 4), nn.Linear(7, 2)

    def forward(self, x):
        a = self.a(x)
        b = self.b(torch.tanh(a))
        return self.out(torch.cat([a + b, x], dim=1))


def graph():
    module = Residual()
    x = torch.randn(BATCH, 3, requires_grad=True)
    out = module(x)
    r = torch.randn(out.shape)
    (out * r).sum().backward()
    names = {"a": "layers.0", "b": "layers.2", "out": "layers.5"}
    weights, grads = {}, {}
    for name, p in module.named_parameters():
        layer, kind = name.split(".")
        weights[names[layer] + "." + kind] = tensor(p)
        grads[names[layer] + "." + kind] = flat(p.grad)
    layers = [
        {"type": "dense", "params": "units: 4", "name": "a", "inputs": []},
        {"type": "tanh", "params": "", "name": None, "inputs": []},
        {"type": "dense", "params": "units: 4", "name": "b", "inputs": []},
        {"type": "add", "params": "", "name": "sum", "inputs": ["a", "b"]},
        {"type": "concat", "params": "", "name": None, "inputs": ["sum", "input"]},
        {"type": "dense", "params": "units: 2", "name": None, "inputs": []},
    ]
    return {"id": "residual-add-concat", "layers": layers, "input_shape": [3], "x": flat(x), "weights": weights, "r": flat(r),
            "out": tensor(out), "grad_x": flat(x.grad), "grads": grads}


graphs = [graph()]


def loss(case_id, type_name, params, module, output, target):
    output = output.clone().requires_grad_(True)
    value = module(output, target)
    value.backward()
    t = target if target.dim() > 1 else target.reshape(-1, 1)
    return {"id": case_id, "type": type_name, "params": params, "output": tensor(output),
            "target": tensor(t.float()), "loss": float(value), "grad": flat(output.grad)}


scores = torch.randn(4, 5)
classes = torch.tensor([0, 3, 4, 1])
probabilities = torch.softmax(torch.randn(4, 5), dim=1)
values = torch.randn(4, 3)
near = values + 0.8 * torch.randn(4, 3)
losses = [
    loss("mse", "mse", "", nn.MSELoss(), values, near),
    loss("mae", "mae", "", nn.L1Loss(), values, near),
    loss("huber", "huber", "delta: 0.7", nn.HuberLoss(delta=0.7), values, near),
    loss("binary_cross_entropy", "binary_cross_entropy", "", nn.BCEWithLogitsLoss(), values, torch.rand(4, 3)),
    loss("softmax_cross_entropy", "softmax_cross_entropy", "", nn.CrossEntropyLoss(), scores, classes),
    loss("softmax_cross_entropy-probabilities", "softmax_cross_entropy", "", nn.CrossEntropyLoss(), scores, probabilities),
    loss("softmax_cross_entropy-smoothed", "softmax_cross_entropy", "label_smoothing: 0.1",
         nn.CrossEntropyLoss(label_smoothing=0.1), scores, classes),
    loss("nll", "nll", "", nn.NLLLoss(), torch.log_softmax(scores, dim=1), classes),
    loss("hinge", "hinge", "", nn.MultiMarginLoss(), scores, classes),
    loss("kl_divergence", "kl_divergence", "", nn.KLDivLoss(reduction="batchmean"), torch.log_softmax(scores, dim=1),
         probabilities),
]


def optimizer(case_id, type_name, params, make, weight_decay=None):
    # small starting values: float32's rounding of w then stays far below the steps, so the test can
    # compare each step (after - before) with PyTorch's to 1e-6 of the step's own size
    w = (torch.randn(3, 4) * 0.01).requires_grad_()
    b = (torch.randn(3) * 0.01).requires_grad_()
    start = {"layers.0.weight": tensor(w), "layers.0.bias": tensor(b)}
    if weight_decay is None:
        opt = make([w, b])
    else:
        opt = make([{"params": [w], "weight_decay": weight_decay}, {"params": [b], "weight_decay": 0.0}])
    grads, after = [], []
    for _ in range(5):
        gw, gb = torch.randn(3, 4), torch.randn(3)
        w.grad, b.grad = gw.clone(), gb.clone()
        opt.step()
        grads.append({"layers.0.weight": flat(gw), "layers.0.bias": flat(gb)})
        after.append({"layers.0.weight": flat(w), "layers.0.bias": flat(b)})
    return {"id": case_id, "type": type_name, "params": params, "start": start, "grads": grads, "after": after}


optim = torch.optim
optimizers = [
    optimizer("sgd", "sgd", "lr: 0.1", lambda p: optim.SGD(p, lr=0.1)),
    optimizer("sgd-momentum", "sgd", "lr: 0.1, momentum: 0.9", lambda p: optim.SGD(p, lr=0.1, momentum=0.9)),
    optimizer("sgd-nesterov", "sgd", "lr: 0.1, momentum: 0.9, nesterov: true",
              lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)),
    optimizer("adam", "adam", "lr: 0.01, weight_decay: 0.1", lambda p: optim.Adam(p, lr=0.01), weight_decay=0.1),
    optimizer("adamw", "adamw", "lr: 0.01, weight_decay: 0.1", lambda p: optim.AdamW(p, lr=0.01), weight_decay=0.1),
    optimizer("rmsprop", "rmsprop", "lr: 0.01", lambda p: optim.RMSprop(p, lr=0.01)),
    optimizer("rmsprop-centered-momentum", "rmsprop", "lr: 0.01, momentum: 0.5, centered: true, weight_decay: 0.05",
              lambda p: optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True), weight_decay=0.05),
    optimizer("adagrad", "adagrad", "lr: 0.1, initial_accumulator_value: 0.1, weight_decay: 0.05",
              lambda p: optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1), weight_decay=0.05),
    optimizer("adamax", "adamax", "lr: 0.02, weight_decay: 0.05", lambda p: optim.Adamax(p, lr=0.02), weight_decay=0.05),
    # PyTorch 1.13's default single-tensor NAdam multiplies mu into mu_product_next twice, a bug fixed in
    # pytorch/pytorch#92699 (2023); its multi-tensor path (foreach=True) already had the paper's formula.
    optimizer("nadam", "nadam", "lr: 0.02, weight_decay: 0.05", lambda p: optim.NAdam(p, lr=0.02, foreach=True),
              weight_decay=0.05),
]

def schedule(case_id, type_name, params, make, epochs, steps_per_epoch=1, metrics=None, per_step=False):
    """Learning-rate factors (lr / base lr) before each epoch (or step), as PyTorch's scheduler sets them."""
    w = torch.zeros(1, requires_grad=True)
    opt = optim.SGD([w], lr=0.5)
    sched = make(opt)
    factors = []
    count = epochs * steps_per_epoch if per_step else epochs
    for i in range(count):
        factors.append(opt.param_groups[0]["lr"] / 0.5)
        opt.step()
        if metrics is not None:
            sched.step(metrics[i])
        else:
            sched.step()
    return {"id": case_id, "type": type_name, "params": params, "epochs": epochs, "steps_per_epoch": steps_per_epoch,
            "per_step": per_step, "metrics": metrics, "factors": factors}


lr_scheduler = optim.lr_scheduler
schedules = [
    schedule("step", "step", "step_size: 3, gamma: 0.5", lambda o: lr_scheduler.StepLR(o, 3, gamma=0.5), 10),
    schedule("multistep", "multistep", "milestones: [2, 5], gamma: 0.3", lambda o: lr_scheduler.MultiStepLR(o, [2, 5], gamma=0.3), 8),
    schedule("exponential", "exponential", "gamma: 0.9", lambda o: lr_scheduler.ExponentialLR(o, 0.9), 8),
    # PyTorch's CosineAnnealingLR is periodic past T_max; Neurite's stays at min_factor, so one period is compared
    schedule("cosine", "cosine", "period: 5, min_factor: 0.1", lambda o: lr_scheduler.CosineAnnealingLR(o, 5, eta_min=0.05), 6),
    schedule("cosine-restarts", "cosine", "period: 3, min_factor: 0.1, restarts: true, period_mult: 2",
             lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, 3, T_mult=2, eta_min=0.05), 15),
    schedule("one_cycle", "one_cycle", "", lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=20), 4, steps_per_epoch=5,
             per_step=True),
    schedule("reduce_on_plateau", "reduce_on_plateau", "monitor: validation_loss, factor: 0.5, patience: 2, cooldown: 1",
             lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1), 12,
             metrics=[1.0, 0.9, 0.95, 0.94, 0.93, 0.96, 0.97, 0.98, 0.99, 1.0, 0.5, 0.6]),
]

print(json.dumps({"generator": "plugins/standard/src/test/python/torch_fixtures.py", "torch": torch.__version__,
                  "layers": layers, "graphs": graphs, "losses": losses,
                  "optimizers": optimizers, "schedules": schedules}, indent=1))
