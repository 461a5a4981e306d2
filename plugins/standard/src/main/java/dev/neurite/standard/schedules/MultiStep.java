package dev.neurite.standard.schedules;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Schedule;
import jakarta.inject.Inject;
import java.util.List;

@Doc("Multiplies the rate by gamma at each milestone epoch (or step), as PyTorch's MultiStepLR")
@Example("milestones: [30, 80]")
public final class MultiStep implements Schedule {
  public record Params(
      @Doc("increasing epochs (or steps) at which the rate decays") List<Integer> milestones,
      @Doc("decay factor") @Default("0.1") @Min(value = 0, exclusive = true) double gamma,
      @Doc("epoch or step") @Default("epoch") Unit unit) {
    public Params {
      for (int m : milestones) if (m < 0) throw new IllegalArgumentException("milestones must be epochs (or steps) >= 0, got " + milestones);
      for (int i = 1; i < milestones.size(); i++) {
        if (milestones.get(i) <= milestones.get(i - 1)) throw new IllegalArgumentException("milestones must increase, got " + milestones);
      }
    }
  }

  private final Params p;

  @Inject
  public MultiStep(Params params) {
    this.p = params;
  }

  @Override
  public double factor(Progress progress) {
    double t = progress.time(p.unit().perStep());
    long passed = p.milestones().stream().filter(m -> m <= t).count();
    return Math.pow(p.gamma(), passed);
  }
}
