package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.tensor.Shape;

/** Window geometry shared by the 2-D pooling layers: [channels, height, width] in, same channels out. */
abstract class Pool2d implements Layer {
  final int kernel;
  final int stride;
  final int padding;
  int channels;
  int height;
  int width;
  int outH;
  int outW;
  /** One sample's input and output shapes. */
  Shape inputShape;
  Shape outputShape;

  Pool2d(int kernel, int stride, int padding) {
    this.kernel = kernel;
    this.stride = stride == 0 ? kernel : stride;
    this.padding = padding;
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 3) throw new IllegalArgumentException("pooling needs [channels, height, width] inputs");
    if (2 * padding > kernel) throw new IllegalArgumentException("padding " + padding + " must be at most half of kernel_size " + kernel);
    channels = input.dim(0);
    height = input.dim(1);
    width = input.dim(2);
    if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
      throw new IllegalArgumentException("a " + kernel + "x" + kernel + " window does not fit a " + height + "x" + width + " input");
    }
    outH = (height + 2 * padding - kernel) / stride + 1;
    outW = (width + 2 * padding - kernel) / stride + 1;
    inputShape = input;
    outputShape = Shape.of(channels, outH, outW);
    return outputShape;
  }
}
