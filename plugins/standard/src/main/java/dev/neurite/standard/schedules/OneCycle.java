package dev.neurite.standard.schedules;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Schedule;
import jakarta.inject.Inject;

@Doc("The 1cycle policy (Smith & Topin 2018), as PyTorch's OneCycleLR with cosine annealing: from rate/div_factor up to "
    + "the optimizer's rate over pct_start of training, then down to rate/(div_factor*final_div_factor)")
public final class OneCycle implements Schedule {
  public record Params(
      @Doc("fraction of training spent rising") @Default("0.3") @Min(value = 0, exclusive = true) @Max(value = 1, exclusive = true) double pctStart,
      @Doc("initial rate = rate / div_factor") @Default("25") @Min(value = 1) double divFactor,
      @Doc("final rate = initial rate / final_div_factor") @Default("1e4") @Min(value = 1) double finalDivFactor,
      @Doc("step or epoch") @Default("step") Unit unit) {}

  private final Params p;

  @Inject
  public OneCycle(Params params) {
    this.p = params;
  }

  private static double anneal(double start, double end, double pct) {
    return end + (start - end) / 2 * (Math.cos(Math.PI * Math.min(1, pct)) + 1);
  }

  @Override
  public double factor(Progress progress) {
    double t = progress.time(p.unit().perStep());
    double total = progress.total(p.unit().perStep());
    double initial = 1 / p.divFactor();
    double end = initial / p.finalDivFactor();
    double peak = p.pctStart() * total - 1;
    if (t <= peak) return anneal(initial, 1, peak <= 0 ? 1 : t / peak);
    return anneal(1, end, (t - peak) / Math.max(1, total - 1 - peak));
  }
}
