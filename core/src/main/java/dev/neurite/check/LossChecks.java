package dev.neurite.check;

import static dev.neurite.check.Check.require;

import dev.neurite.spi.Loss;
import dev.neurite.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;

/** The contract every {@link Loss} must meet, at a given batch of outputs and targets. */
public final class LossChecks {
  private LossChecks() {}

  /** {@code output} and {@code target} are batched; the batch must have at least 2 rows. */
  public static List<Check> of(Supplier<Loss> factory, Tensor output, Tensor target) {
    return List.of(
        new Check("accepts the output and target shapes", () -> factory.get().check(output.shape().dropFirst(), target)),
        new Check("gradients match finite differences", () -> gradients(factory.get(), output.copy(), target)),
        new Check("the loss is the mean over the batch", () -> batchMean(factory, output, target)),
        new Check("the value is finite and repeatable", () -> repeatable(factory.get(), output, target)));
  }

  static void gradients(Loss loss, Tensor output, Tensor target) {
    loss.forward(output, target);
    Tensor analytic = loss.backward().copy();
    require(analytic.shape().equals(output.shape()), "backward returned " + analytic.shape() + " for output " + output.shape());
    FiniteDifferences.compare("output", output, analytic, () -> loss.forward(output, target));
  }

  static void batchMean(Supplier<Loss> factory, Tensor output, Tensor target) {
    int n = output.rows();
    double whole = factory.get().forward(output, target);
    double sum = 0;
    for (int r = 0; r < n; r++) sum += factory.get().forward(row(output, r), row(target, r));
    double mean = sum / n;
    require(Math.abs(whole - mean) <= 1e-5 * Math.max(1, Math.abs(mean)),
        "the batch loss " + whole + " is not the mean of the per-row losses (" + mean + ")");
  }

  static void repeatable(Loss loss, Tensor output, Tensor target) {
    double a = loss.forward(output, target);
    double b = loss.forward(output, target);
    require(Double.isFinite(a), "the loss is " + a);
    require(Double.compare(a, b) == 0, "the same batch gave " + a + " then " + b);
  }

  private static Tensor row(Tensor t, int r) {
    int w = t.rowSize();
    Tensor out = Tensor.zeros(t.shape().dropFirst().prepend(1));
    System.arraycopy(t.data(), r * w, out.data(), 0, w);
    return out;
  }
}
