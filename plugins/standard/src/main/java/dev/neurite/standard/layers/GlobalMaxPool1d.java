package dev.neurite.standard.layers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;

@Doc("The largest value of each channel over all steps of a sequence: [time, channels] to [channels]")
@Example(shape = {5, 3})
public final class GlobalMaxPool1d extends Pool1d {
  public GlobalMaxPool1d() {
    super(true, 0, 0, 0, true);
  }

  @Override
  String type() {
    return "global_max_pool1d";
  }
}
