package dev.neurite.standard.layers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import jakarta.inject.Inject;

@Doc("Max pooling over time of a sequence [time, channels]: the largest value of each channel in windows of kernel_size steps every stride (default: kernel_size), with padding steps at both ends that never win, as PyTorch's nn.MaxPool1d on [channels, time]")
@Example(value = "kernel_size: 2", shape = {6, 3})
public final class MaxPool1d extends Pool1d {
  public record Params(
      @Doc("steps per window") @Min(1) int kernelSize,
      @Doc("steps between two windows; 0 for kernel_size") @Default("0") @Min(0) int stride,
      @Doc("steps added at both ends, at most half the kernel") @Default("0") @Min(0) int padding) {}

  @Inject
  public MaxPool1d(Params p) {
    super(true, p.kernelSize(), p.stride(), p.padding(), true);
  }

  @Override
  String type() {
    return "max_pool1d";
  }
}
