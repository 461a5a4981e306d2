package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Shape;
import jakarta.inject.Inject;

@Doc("Long short-term memory over a sequence [time, features], as PyTorch's nn.LSTM(batch_first=True): gates i, f, g, o "
    + "in that order in weight_ih_l0 [4 units, inputs] and weight_hh_l0 [4 units, units]; c_t = f c_(t-1) + i g, "
    + "h_t = o tanh(c_t), from a zero state. Gives the last state [units] (both directions' final states when "
    + "bidirectional), or every step's [time, units] with return_sequences")
@Example(value = "units: 3", shape = {4, 2})
public final class Lstm extends Recurrent {
  public record Params(
      @Doc("units of the state h (and of the cell c)") @Min(1) int units,
      @Doc("stacked layers, each reading the previous one's states (PyTorch's num_layers)") @Default("1") @Min(1) int layers,
      @Doc("also run a second layer from the last step to the first and concatenate the two states") @Default("false") boolean bidirectional,
      @Doc("give every step's state [time, units] instead of the last one [units]") @Default("false") boolean returnSequences,
      @Doc("learn the biases bias_ih and bias_hh") @Default("true") boolean bias,
      @Doc("added to the forget gate's bias_ih after initialization: 1 keeps the cell state by default, which helps long "
          + "dependencies (Jozefowicz et al. 2015; Keras' unit_forget_bias); 0 is PyTorch's initialization") @Default("0") double forgetBias) {}

  private final double forgetBias;

  @Inject
  public Lstm(Params p, RandomStream random) {
    super(p.units(), p.layers(), p.bidirectional(), p.returnSequences(), p.bias(), 4, random);
    this.forgetBias = p.forgetBias();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    Shape out = super.build(input, ctx);
    if (forgetBias != 0) {
      if (!hasBias()) throw new IllegalArgumentException("forget_bias needs bias: true");
      for (Cell c : cells()) {
        float[] b = c.biasIh.value().data();
        for (int j = units(); j < 2 * units(); j++) b[j] += (float) forgetBias;
      }
    }
    return out;
  }

  @Override
  String type() {
    return "lstm";
  }

  @Override
  String onnxOperator() {
    return "LSTM";
  }

  @Override
  int[] onnxGates() {
    return new int[] {0, 3, 1, 2};
  }

  @Override
  Cell cell(int inputs, boolean reverse) {
    return new LstmCell(reverse);
  }

  private final class LstmCell extends Cell {
    /** The cell state c of every step, with a zero initial slot, laid out as the states h. */
    private float[] cells;
    /** tanh(c_t) of every step [time * batch, units]. */
    private float[] cellTanh;
    /** d loss / d c carried to the previous step [batch, units]. */
    private float[] cellGrad;

    LstmCell(boolean reverse) {
      super(reverse);
    }

    @Override
    void allocateCell(int n) {
      cells = new float[states.length];
      cellTanh = new float[outputGrads.length];
      cellGrad = new float[n * units()];
    }

    @Override
    void forward(float[] x, int n) {
      int initial = previousOffset(reverse ? steps() - 1 : 0); // the zero state c before the first step
      java.util.Arrays.fill(cells, initial, initial + n * units(), 0f);
      super.forward(x, n);
    }

    @Override
    void step(int t, int n, int from, int to) {
      int h = units();
      int g = t * n * 4 * h;
      int prev = previousOffset(t);
      int now = stateOffset(t);
      int tc = t * n * h;
      for (int b = from; b < to; b++) {
        int p = g + b * 4 * h;
        Kernels.sigmoid(pre, p, p + 2 * h); // i, f
        Kernels.tanh(pre, p + 2 * h, p + 3 * h); // g
        Kernels.sigmoid(pre, p + 3 * h, p + 4 * h); // o
        int k = b * h;
        for (int j = 0; j < h; j++) {
          float cell = pre[p + h + j] * cells[prev + k + j] + pre[p + j] * pre[p + 2 * h + j];
          cells[now + k + j] = cell;
          cellTanh[tc + k + j] = cell;
        }
      }
      Kernels.tanh(cellTanh, tc + from * h, tc + to * h);
      for (int b = from; b < to; b++) {
        int p = g + b * 4 * h + 3 * h;
        int k = b * h;
        for (int j = 0; j < h; j++) states[now + k + j] = pre[p + j] * cellTanh[tc + k + j];
      }
    }

    @Override
    void carry(int t, int b) {
      super.carry(t, b);
      int h = units();
      System.arraycopy(cells, previousOffset(t) + b * h, cells, stateOffset(t) + b * h, h);
    }

    @Override
    void beginBackward(int n) {
      java.util.Arrays.fill(cellGrad, 0, n * units(), 0f);
    }

    @Override
    void truncate(int from, int to) {
      java.util.Arrays.fill(cellGrad, from * units(), to * units(), 0f);
    }

    @Override
    void stepBack(int t, int n, int from, int to) {
      int h = units();
      int g = t * n * 4 * h;
      int prev = previousOffset(t);
      int tc = t * n * h;
      for (int b = from; b < to; b++) {
        int p = g + b * 4 * h;
        for (int j = 0; j < h; j++) {
          int k = b * h + j;
          float i = pre[p + j];
          float f = pre[p + h + j];
          float c = pre[p + 2 * h + j];
          float o = pre[p + 3 * h + j];
          float squashed = cellTanh[tc + k];
          float dh = stateGrad[k];
          float dc = cellGrad[k] + dh * o * (1 - squashed * squashed);
          cellGrad[k] = dc * f;
          preGrads[p + j] = dc * c * i * (1 - i);
          preGrads[p + h + j] = dc * cells[prev + k] * f * (1 - f);
          preGrads[p + 2 * h + j] = dc * i * (1 - c * c);
          preGrads[p + 3 * h + j] = dh * squashed * o * (1 - o);
        }
      }
    }
  }
}
