package dev.neurite.standard.optimizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.State;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Doc("Stochastic gradient descent with optional (Nesterov) momentum, as PyTorch's SGD: "
    + "v = momentum * v + g; p -= lr * v (Nesterov: p -= lr * (g + momentum * v))")
@Example(value = "lr: 0.05, momentum: 0.9", steps = 300)
public final class Sgd implements Optimizer {
  public record Params(
      @Doc("learning rate") @Min(value = 0, exclusive = true) double lr,
      @Doc("momentum factor; 0 is plain gradient descent") @Default("0") @Min(0) @Max(value = 1, exclusive = true) double momentum,
      @Doc("use Nesterov momentum") @Default("false") boolean nesterov) {
    public Params {
      if (nesterov && momentum == 0) throw new IllegalArgumentException("nesterov needs a momentum above 0");
    }
  }

  private final float lr;
  private final float momentum;
  private final boolean nesterov;
  private final Map<String, float[]> velocity = new LinkedHashMap<>();
  private final ElementwiseUpdate update = new ElementwiseUpdate(this::update);

  // this step's learning rate, and the param being updated with its velocity (null without momentum)
  private float stepLr;
  private float[] w;
  private float[] g;
  private float[] v;
  /** Whether v was created from this gradient now, as PyTorch starts the buffer. */
  private boolean first;

  @Inject
  public Sgd(Params params) {
    this.lr = (float) params.lr();
    this.momentum = (float) params.momentum();
    this.nesterov = params.nesterov();
  }

  @Override
  public void step(List<Param> params, StepInfo step) {
    stepLr = (float) (this.lr * step.lrFactor());
    for (int i = 0; i < params.size(); i++) {
      Param p = params.get(i);
      w = p.value().data();
      g = p.grad().data();
      v = null;
      first = false;
      if (momentum != 0f) {
        v = velocity.get(p.name());
        first = v == null;
        if (first) { // PyTorch starts the buffer at the first gradient
          v = g.clone();
          velocity.put(p.name(), v);
        }
      }
      update.over(w.length);
    }
    w = g = v = null;
  }

  /** Elements [from, to): one pass over the three arrays, the same arithmetic as updating v, then w. */
  private void update(int from, int to) {
    float lr = stepLr;
    if (v == null) { // no momentum
      for (int i = from; i < to; i++) w[i] -= lr * g[i];
    } else if (nesterov) {
      for (int i = from; i < to; i++) {
        float vi = first ? v[i] : momentum * v[i] + g[i];
        v[i] = vi;
        w[i] -= lr * (g[i] + momentum * vi);
      }
    } else if (first) {
      for (int i = from; i < to; i++) w[i] -= lr * v[i];
    } else {
      for (int i = from; i < to; i++) {
        float vi = momentum * v[i] + g[i];
        v[i] = vi;
        w[i] -= lr * vi;
      }
    }
  }

  /** The momentum buffers, as {@code velocity.<param name>}. */
  @Override
  public State state() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    velocity.forEach((name, v) -> tensors.put("velocity." + name, Tensor.wrap(v.clone(), v.length)));
    return new State(tensors, Map.of());
  }

  @Override
  public void load(State state) {
    velocity.clear();
    state.tensors().forEach((key, t) -> {
      if (!key.startsWith("velocity.")) throw new IllegalArgumentException("sgd: unexpected state entry '" + key + "'");
      velocity.put(key.substring("velocity.".length()), t.data().clone());
    });
  }
}
