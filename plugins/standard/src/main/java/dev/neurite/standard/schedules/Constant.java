package dev.neurite.standard.schedules;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Schedule;

@Doc("The optimizer's learning rate, unchanged")
public final class Constant implements Schedule {
  @Override
  public double factor(Progress progress) {
    return 1.0;
  }
}
