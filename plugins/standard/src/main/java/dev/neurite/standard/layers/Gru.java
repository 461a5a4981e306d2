package dev.neurite.standard.layers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Kernels;
import jakarta.inject.Inject;

@Doc("Gated recurrent unit over a sequence [time, features], as PyTorch's nn.GRU(batch_first=True): gates r, z, n in "
    + "that order in weight_ih_l0 [3 units, inputs] and weight_hh_l0 [3 units, units]; n = tanh(W_in x + b_in + "
    + "r (W_hn h + b_hn)), h_t = (1 - z) n + z h_(t-1), from a zero state. Gives the last state [units] (both "
    + "directions' final states when bidirectional), or every step's [time, units] with return_sequences")
@Example(value = "units: 3", shape = {4, 2})
public final class Gru extends Recurrent {
  public record Params(
      @Doc("units of the state h") @Min(1) int units,
      @Doc("stacked layers, each reading the previous one's states (PyTorch's num_layers)") @Default("1") @Min(1) int layers,
      @Doc("also run a second layer from the last step to the first and concatenate the two states") @Default("false") boolean bidirectional,
      @Doc("give every step's state [time, units] instead of the last one [units]") @Default("false") boolean returnSequences,
      @Doc("learn the biases bias_ih and bias_hh") @Default("true") boolean bias) {}

  @Inject
  public Gru(Params p, RandomStream random) {
    super(p.units(), p.layers(), p.bidirectional(), p.returnSequences(), p.bias(), 3, random);
  }

  @Override
  String type() {
    return "gru";
  }

  @Override
  String onnxOperator() {
    return "GRU";
  }

  @Override
  int[] onnxGates() {
    return new int[] {1, 0, 2};
  }

  @Override
  java.util.Map<String, Object> onnxAttributes() {
    return java.util.Map.of("linear_before_reset", 1);
  }

  @Override
  Cell cell(int inputs, boolean reverse) {
    return new GruCell(reverse);
  }

  private final class GruCell extends Cell {
    /** W_hn h + b_hn of every step [time * batch, units], which the reset gate scales. */
    private float[] newRecurrent;

    GruCell(boolean reverse) {
      super(reverse);
    }

    @Override
    boolean separateRecurrentGrads() {
      return true;
    }

    @Override
    boolean hasDirectStateGrad() {
      return true;
    }

    @Override
    void allocateCell(int n) {
      newRecurrent = new float[outputGrads.length];
    }

    @Override
    void step(int t, int n, int from, int to) {
      int h = units();
      int g = t * n * 3 * h;
      int prev = previousOffset(t);
      int now = stateOffset(t);
      int at = t * n * h;
      for (int b = from; b < to; b++) {
        int p = g + b * 3 * h;
        int q = b * 3 * h;
        for (int j = 0; j < 2 * h; j++) pre[p + j] += recurrent[q + j];
        Kernels.sigmoid(pre, p, p + 2 * h); // r, z
        for (int j = 0; j < h; j++) {
          float hn = recurrent[q + 2 * h + j];
          newRecurrent[at + b * h + j] = hn;
          pre[p + 2 * h + j] += pre[p + j] * hn;
        }
        Kernels.tanh(pre, p + 2 * h, p + 3 * h); // n
        for (int j = 0; j < h; j++) {
          float z = pre[p + h + j];
          states[now + b * h + j] = (1 - z) * pre[p + 2 * h + j] + z * states[prev + b * h + j];
        }
      }
    }

    @Override
    void stepBack(int t, int n, int from, int to) {
      int h = units();
      int g = t * n * 3 * h;
      int prev = previousOffset(t);
      int at = t * n * h;
      for (int b = from; b < to; b++) {
        int p = g + b * 3 * h;
        for (int j = 0; j < h; j++) {
          int k = b * h + j;
          float r = pre[p + j];
          float z = pre[p + h + j];
          float c = pre[p + 2 * h + j];
          float dh = stateGrad[k];
          float dn = dh * (1 - z) * (1 - c * c);
          float dr = dn * newRecurrent[at + k] * r * (1 - r);
          float dz = dh * (states[prev + k] - c) * z * (1 - z);
          preGrads[p + j] = dr;
          preGrads[p + h + j] = dz;
          preGrads[p + 2 * h + j] = dn;
          recurrentGrads[p + j] = dr;
          recurrentGrads[p + h + j] = dz;
          recurrentGrads[p + 2 * h + j] = dn * r;
          nextStateGrad[k] = dh * z;
        }
      }
    }
  }
}
