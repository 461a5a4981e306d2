package dev.neurite.standard.layers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import jakarta.inject.Inject;

@Doc("Mean pooling over time of a sequence [time, channels]: each channel's mean in windows of kernel_size steps every stride (default: kernel_size), with padding zero steps at both ends, counted in the mean unless count_include_pad is false, as PyTorch's nn.AvgPool1d")
@Example(value = "kernel_size: 2", shape = {6, 3})
public final class AvgPool1d extends Pool1d {
  public record Params(
      @Doc("steps per window") @Min(1) int kernelSize,
      @Doc("steps between two windows; 0 for kernel_size") @Default("0") @Min(0) int stride,
      @Doc("steps added at both ends, at most half the kernel") @Default("0") @Min(0) int padding,
      @Doc("count the padded zeros in the mean") @Default("true") boolean countIncludePad) {}

  @Inject
  public AvgPool1d(Params p) {
    super(false, p.kernelSize(), p.stride(), p.padding(), p.countIncludePad());
  }

  @Override
  String type() {
    return "avg_pool1d";
  }
}
