package dev.neurite.standard.layers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Kernels;
import jakarta.inject.Inject;

@Doc("Elman recurrence over a sequence [time, features], as PyTorch's nn.RNN(batch_first=True): h_t = tanh (or relu) of "
    + "W_ih x_t + b_ih + W_hh h_(t-1) + b_hh, from a zero state. Gives the last state [units] (both directions' final "
    + "states when bidirectional), or every step's [time, units] with return_sequences")
@Example(value = "units: 3", shape = {4, 2})
public final class SimpleRnn extends Recurrent {
  public enum Nonlinearity { TANH, RELU }

  public record Params(
      @Doc("units of the state h") @Min(1) int units,
      @Doc("tanh or relu") @Default("tanh") Nonlinearity nonlinearity,
      @Doc("stacked layers, each reading the previous one's states (PyTorch's num_layers)") @Default("1") @Min(1) int layers,
      @Doc("also run a second layer from the last step to the first and concatenate the two states") @Default("false") boolean bidirectional,
      @Doc("give every step's state [time, units] instead of the last one [units]") @Default("false") boolean returnSequences,
      @Doc("learn the biases bias_ih and bias_hh") @Default("true") boolean bias) {}

  private final boolean relu;

  @Inject
  public SimpleRnn(Params p, RandomStream random) {
    super(p.units(), p.layers(), p.bidirectional(), p.returnSequences(), p.bias(), 1, random);
    this.relu = p.nonlinearity() == Nonlinearity.RELU;
  }

  @Override
  String type() {
    return "simple_rnn";
  }

  @Override
  String onnxOperator() {
    return "RNN";
  }

  @Override
  int[] onnxGates() {
    return new int[] {0};
  }

  @Override
  java.util.Map<String, Object> onnxAttributes() {
    return relu ? java.util.Map.of("activations", directions() == 2 ? new String[] {"Relu", "Relu"} : new String[] {"Relu"}) : java.util.Map.of();
  }

  @Override
  Cell cell(int inputs, boolean reverse) {
    return new RnnCell(reverse);
  }

  private final class RnnCell extends Cell {
    RnnCell(boolean reverse) {
      super(reverse);
    }

    @Override
    void step(int t, int n, int from, int to) {
      int h = units();
      int p = t * n * h;
      int lo = p + from * h;
      int hi = p + to * h;
      if (relu) {
        for (int i = lo; i < hi; i++) pre[i] = pre[i] > 0 ? pre[i] : 0;
      } else {
        Kernels.tanh(pre, lo, hi);
      }
      System.arraycopy(pre, lo, states, stateOffset(t) + from * h, hi - lo);
    }

    @Override
    void stepBack(int t, int n, int from, int to) {
      int units = units();
      int p = t * n * units;
      for (int i = from * units; i < to * units; i++) {
        float h = pre[p + i];
        preGrads[p + i] = stateGrad[i] * (relu ? (h > 0 ? 1 : 0) : 1 - h * h);
      }
    }
  }
}
