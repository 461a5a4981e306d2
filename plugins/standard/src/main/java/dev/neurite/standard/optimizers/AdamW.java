package dev.neurite.standard.optimizers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import jakarta.inject.Inject;

@Doc("AdamW (Loshchilov & Hutter 2019), as PyTorch's AdamW: Adam with decoupled weight decay p -= lr * decay * p "
    + "on params that decay (PyTorch's default decay is 0.01; here it must be given)")
@Example(value = "lr: 0.05, weight_decay: 0.01", steps = 500)
public final class AdamW extends Adam {
  @Inject
  public AdamW(Params params) {
    super(params, true);
  }
}
