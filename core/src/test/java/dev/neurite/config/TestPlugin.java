package dev.neurite.config;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;

/** Minimal components for exercising config binding and wiring in core, without the standard plugin. */
public final class TestPlugin extends NeuritePlugin {
  @Override
  protected void configure() {
    layer("identity", Identity.class);
    layer("racy", Racy.class);
    layer("scaled", Scaled.Params.class, Scaled.class);
    initializer("fill", Fill.Params.class, Fill.class);
    loss("zero", ZeroLoss.class);
    optimizer("noop", Noop.Params.class, Noop.class);
    dataSource("table", Table.Params.class, Table.class);
  }

  public static final class Identity implements Layer {
    public Shape build(Shape input, BuildContext ctx) { return input; }
    public Tensor forward(Tensor input, Pass pass) { return input; }
    public Tensor backward(Tensor g) { return g; }
  }

  @dev.neurite.spi.Nondeterministic("sums in the order threads finish")
  public static final class Racy implements Layer {
    public Shape build(Shape input, BuildContext ctx) { return input; }
    public Tensor forward(Tensor input, Pass pass) { return input; }
    public Tensor backward(Tensor g) { return g; }
  }

  public enum Mode { PLAIN, FANCY }

  @Doc("test layer")
  public static final class Scaled implements Layer {
    public record Params(@Doc("outputs") @Min(1) int units,
                         @Default("0.5") @Min(0) @Max(1) double rate,
                         @Default("plain") Mode mode,
                         @Default("fill") Initializer init) {}

    final Params params;

    @Inject
    public Scaled(Params params) { this.params = params; }

    public Shape build(Shape input, BuildContext ctx) {
      if (input.rank() != 1) throw new IllegalArgumentException("scaled needs a flat input");
      Param w = ctx.param("weight", Shape.of(params.units(), input.dim(0)), true);
      params.init().initialize(w.value(), input.dim(0), params.units());
      return Shape.of(params.units());
    }
    public Tensor forward(Tensor input, Pass pass) { throw new UnsupportedOperationException(); }
    public Tensor backward(Tensor g) { throw new UnsupportedOperationException(); }
  }

  public static final class Fill implements Initializer {
    public record Params(@Default("0") double value) {}
    final double value;
    @Inject public Fill(Params p) { this.value = p.value(); }
    public void initialize(Tensor t, int fanIn, int fanOut) { t.fill((float) value); }
  }

  public static final class ZeroLoss implements Loss {
    public double forward(Tensor output, Tensor target) { return 0; }
    public Tensor backward() { throw new UnsupportedOperationException(); }
  }

  public static final class Noop implements Optimizer {
    public record Params(@Min(value = 0, exclusive = true) double lr) {}
    @Inject public Noop(Params p) {}
    public void step(List<Param> params, StepInfo step) {}
  }

  public static final class Table implements DataSource {
    public record Params(Path path) {}
    final Path path;
    @Inject public Table(Params p) { this.path = p.path(); }
    public Dataset load() { return Dataset.of(Tensor.zeros(4, 3), Tensor.zeros(4, 1)); }
  }
}
