package dev.neurite.standard.layers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
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
      @Doc("learn the biases bias_ih and bias_hh") @Default("true") boolean bias) {}

  @Inject
  public Lstm(Params p, RandomStream random) {
    super(p.units(), p.layers(), p.bidirectional(), p.returnSequences(), p.bias(), 4, random);
  }

  @Override
  String type() {
    return "lstm";
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
    void step(int t, int n) {
      int h = units();
      int g = t * n * 4 * h;
      int prev = previousOffset(t);
      int now = stateOffset(t);
      int tc = t * n * h;
      for (int b = 0; b < n; b++) {
        int p = g + b * 4 * h;
        int r = b * 4 * h;
        for (int j = 0; j < h; j++) {
          float i = sigmoid(pre[p + j] + recurrent[r + j]);
          float f = sigmoid(pre[p + h + j] + recurrent[r + h + j]);
          float c = tanh(pre[p + 2 * h + j] + recurrent[r + 2 * h + j]);
          float o = sigmoid(pre[p + 3 * h + j] + recurrent[r + 3 * h + j]);
          pre[p + j] = i;
          pre[p + h + j] = f;
          pre[p + 2 * h + j] = c;
          pre[p + 3 * h + j] = o;
          float cell = f * cells[prev + b * h + j] + i * c;
          float squashed = tanh(cell);
          cells[now + b * h + j] = cell;
          cellTanh[tc + b * h + j] = squashed;
          states[now + b * h + j] = o * squashed;
        }
      }
    }

    @Override
    void beginBackward(int n) {
      java.util.Arrays.fill(cellGrad, 0, n * units(), 0f);
    }

    @Override
    void stepBack(int t, int n) {
      int h = units();
      int g = t * n * 4 * h;
      int prev = previousOffset(t);
      int tc = t * n * h;
      for (int b = 0; b < n; b++) {
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
