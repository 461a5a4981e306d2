package dev.neurite.standard.layers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;

@Doc("The mean of each channel over all steps of a sequence: [time, channels] to [channels]")
@Example(shape = {5, 3})
public final class GlobalAvgPool1d extends Pool1d {
  public GlobalAvgPool1d() {
    super(false, 0, 0, 0, true);
  }

  @Override
  String type() {
    return "global_avg_pool1d";
  }
}
