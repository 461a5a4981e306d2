package dev.neurite.nn;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sequential network: forward runs the layers in order, backward in reverse. Building it infers
 * every layer's shape from the input shape, so a mismatch is found before training starts.
 * Params are named {@code layers.<index>.<name>}, as in a PyTorch {@code nn.Sequential} called
 * {@code layers}.
 */
public final class Model {
  /** A layer rejected its input shape. */
  public static final class ShapeException extends IllegalArgumentException {
    private final int layerIndex;
    private final Shape input;

    ShapeException(int layerIndex, Shape input, IllegalArgumentException cause) {
      super("input shape " + input + " does not fit: " + cause.getMessage(), cause);
      this.layerIndex = layerIndex;
      this.input = input;
    }

    public int layerIndex() {
      return layerIndex;
    }

    /** The per-sample shape the layer was given. */
    public Shape input() {
      return input;
    }
  }

  private final List<Layer> layers;
  private final List<Param> params = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();

  public Model(List<Layer> layers) {
    this.layers = List.copyOf(layers);
  }

  /**
   * Builds every layer for per-sample {@code input}; returns the output shape.
   *
   * @param layerPaths config paths of the layers, for messages ({@code model.layers[2]})
   */
  public Shape build(Shape input, List<String> layerPaths) {
    if (!shapes.isEmpty()) throw new IllegalStateException("model already built");
    Set<String> names = new HashSet<>();
    Shape shape = input;
    shapes.add(shape);
    for (int i = 0; i < layers.size(); i++) {
      String prefix = "layers." + i + ".";
      String path = layerPaths.get(i);
      BuildContext ctx = new BuildContext() {
        @Override
        public Param param(String localName, Shape s, boolean decays) {
          String name = prefix + localName;
          if (!names.add(name)) throw new IllegalStateException(path + " created param '" + localName + "' twice");
          Param p = new Param(name, Tensor.zeros(s), Tensor.zeros(s), decays);
          params.add(p);
          return p;
        }

        @Override
        public String path() {
          return path;
        }
      };
      try {
        shape = layers.get(i).build(shape, ctx);
      } catch (IllegalArgumentException e) {
        throw new ShapeException(i, shape, e);
      }
      shapes.add(shape);
    }
    return shape;
  }

  public Tensor forward(Tensor input, Pass pass) {
    Tensor x = input;
    for (Layer layer : layers) x = layer.forward(x, pass);
    return x;
  }

  /** Backpropagates d(loss)/d(output); returns d(loss)/d(input). Gradients accumulate into the params. */
  public Tensor backward(Tensor gradOutput) {
    Tensor g = gradOutput;
    for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g);
    return g;
  }

  public void zeroGrad() {
    for (Param p : params) p.zeroGrad();
  }

  public List<Param> params() {
    return Collections.unmodifiableList(params);
  }

  public List<Layer> layers() {
    return layers;
  }

  /** Per-sample shapes: the input, then each layer's output. */
  public List<Shape> shapes() {
    return Collections.unmodifiableList(shapes);
  }

  public long parameterCount() {
    return params.stream().mapToLong(p -> p.value().size()).sum();
  }
}
