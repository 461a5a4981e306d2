package dev.neurite.nn;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.spi.MultiInputLayer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.Stateful;
import dev.neurite.spi.StepMask;
import dev.neurite.spi.Suggestions;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network: layers in config order, each fed by the previous layer or by named earlier layers, so
 * that a model can branch and merge (a residual block is an {@code add} of a layer's input and
 * output). Forward runs the layers in order, backward in reverse; where a tensor feeds several layers
 * its gradients are summed. Building it infers every layer's shape from the input shape, so a
 * mismatch is found before training starts. Params are named {@code layers.<index>.<name>}, as in a
 * PyTorch {@code nn.Sequential} called {@code layers}. A padding mask that a layer starts (an embedding's
 * padding index) travels with its sequence to the layers that keep or end it ({@link Layer.Masking}).
 */
public final class Model {
  /** A layer rejected its input shapes, or the graph is miswired. */
  /** The most elements of one tensor (Java arrays are indexed by int). */
  static final long MAX_TENSOR = Integer.MAX_VALUE - 8;

  public static final class ShapeException extends IllegalArgumentException {
    private final int layerIndex;

    ShapeException(int layerIndex, String message, Throwable cause) {
      super(message, cause);
      this.layerIndex = layerIndex;
    }

    public int layerIndex() {
      return layerIndex;
    }
  }

  private static final int INPUT = -1;
  /** Gradients are zeroed in blocks of this many values, split across the kernel threads. */
  private static final int ZERO_BLOCK = 32_768;

  private final List<Node> nodes;
  private final List<Param> params = new ArrayList<>();
  private final List<Param> paramsView = Collections.unmodifiableList(params);
  /** The params of trainable layers (all of them unless a layer has trainable: false), in order. */
  private List<Param> trainableParams = List.of();
  /** Per node: the pass it runs in while training (frozen layers run in inference mode). */
  private Pass[] trainingPass;
  private final List<Shape> shapes = new ArrayList<>();
  private int[][] sources;      // per node: indices of its inputs (INPUT for the model input)
  private int[] consumers;      // per node, and at the end for the model input: how many inputs read it
  private Tensor[] outputs;
  /** Per node: whether its input is a masked sequence (a padding mask reaches it), and the mask of its last output. */
  private boolean[] maskedInput;
  private StepMask[] masks;
  private Tensor[] grads;
  private Tensor[] accumulators;
  /** Per node with several inputs: the list its forward pass is given, refilled every call. */
  private final List<List<Tensor>> inputLists = new ArrayList<>();
  /** The gradient {@link #zeroGrad} is clearing, for its range body (a field: no object per step). */
  private float[] zeroing;
  private final Parallel.RangeBody zeroBlocks =
      (from, to) -> Arrays.fill(zeroing, from * ZERO_BLOCK, Math.min(zeroing.length, to * ZERO_BLOCK), 0f);

  /** A chain: each layer reads the one before it. */
  public Model(List<Layer> layers) {
    this(layers.stream().map(Node::of).toArray(Node[]::new));
  }

  private Model(Node[] nodes) {
    this.nodes = List.of(nodes);
  }

  /** A graph: each node names the nodes it reads. */
  public static Model graph(List<Node> nodes) {
    return new Model(nodes.toArray(Node[]::new));
  }

  /**
   * Builds every layer for per-sample {@code input}; returns the output shape.
   *
   * @param layerPaths config paths of the layers, for messages ({@code model.layers[2]})
   */
  public Shape build(Shape input, List<String> layerPaths) {
    return build(input, layerPaths, true);
  }

  /**
   * As {@link #build(Shape, List)}; with {@code inputGradient} false, {@link #backward} need not
   * compute the gradient for the model's input (training does not use it), and returns null.
   */
  public Shape build(Shape input, List<String> layerPaths, boolean inputGradient) {
    return build(input, layerPaths, inputGradient, 0);
  }

  /** As {@link #build(Shape, List, boolean)}, with the run's truncation of backpropagation through time ({@code training.bptt}). */
  public Shape build(Shape input, List<String> layerPaths, boolean inputGradient, int truncation) {
    if (!shapes.isEmpty()) throw new IllegalStateException("model already built");
    int n = nodes.size();
    sources = new int[n][];
    consumers = new int[n + 1];
    Map<String, Integer> names = new HashMap<>();
    names.put(Node.MODEL_INPUT, INPUT);
    Set<String> paramNames = new HashSet<>();
    long[] paramBytes = {0};
    List<Shape> nodeShapes = new ArrayList<>();
    boolean[] trainable = new boolean[n]; // the layer, or a layer before it, has params
    maskedInput = new boolean[n];
    int[] maskStart = new int[n]; // per node whose output is masked: the node that started the mask, else -1
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      String path = layerPaths.get(i);
      if (node.inputs().isEmpty()) {
        sources[i] = new int[] {i - 1 < 0 ? INPUT : i - 1};
      } else {
        sources[i] = new int[node.inputs().size()];
        for (int k = 0; k < sources[i].length; k++) {
          String ref = node.inputs().get(k);
          Integer at = names.get(ref);
          if (at == null) {
            throw new ShapeException(i, "input '" + ref + "' is not the name of an earlier layer"
                + Suggestions.didYouMean(ref, names.keySet())
                + " Known: " + String.join(", ", new TreeSet<>(names.keySet())), null);
          }
          sources[i][k] = at;
        }
      }
      if (sources[i].length > 1 && !(node.layer() instanceof MultiInputLayer)) {
        throw new ShapeException(i, "takes one input, but inputs names " + sources[i].length, null);
      }
      List<Shape> in = new ArrayList<>();
      for (int s : sources[i]) {
        in.add(s == INPUT ? input : nodeShapes.get(s));
        consumers[s == INPUT ? n : s]++;
      }
      String prefix = "layers." + i + ".";
      // a gradient for this layer's input is needed only if it can reach a param (or the caller wants the input's)
      boolean needsInputGradient = inputGradient || Arrays.stream(sources[i]).anyMatch(src -> src != INPUT && trainable[src]);
      int paramsBefore = params.size();
      BuildContext ctx = new BuildContext() {
        @Override
        public Param param(String localName, Shape s, boolean decays) {
          String name = prefix + localName;
          if (!paramNames.add(name)) throw new IllegalStateException(path + " created param '" + localName + "' twice");
          requireRoom(localName, s);
          Param p = new Param(name, Tensor.zeros(s), Tensor.zeros(s), decays);
          params.add(p);
          return p;
        }

        /** A param (value and gradient) must fit a Java array and, with those before it, the JVM's heap. */
        private void requireRoom(String localName, Shape s) {
          long elements = 1;
          for (int d : s.dims()) elements = d != 0 && elements > Long.MAX_VALUE / 16 / d ? Long.MAX_VALUE / 16 : elements * d;
          if (elements > MAX_TENSOR) {
            throw new IllegalArgumentException("param '" + localName + "' of shape " + s + " has " + elements + " elements; a tensor holds at most "
                + MAX_TENSOR);
          }
          paramBytes[0] += 8 * elements; // value and gradient
          long heap = Runtime.getRuntime().maxMemory();
          if (paramBytes[0] > heap) {
            throw new IllegalArgumentException("param '" + localName + "' of shape " + s + " brings the model's params and their gradients to "
                + paramBytes[0] / (1 << 20) + " MiB, more than this JVM's heap of " + heap / (1 << 20) + " MiB (raise it with NEURITE_JAVA_OPTS=-Xmx...)");
          }
        }

        @Override
        public String path() {
          return path;
        }

        @Override
        public boolean inputGradientNeeded() {
          return needsInputGradient;
        }

        @Override
        public int truncation() {
          return truncation;
        }
      };
      Shape out;
      try {
        out = node.layer() instanceof MultiInputLayer m ? m.build(in, ctx) : node.layer().build(in.get(0), ctx);
      } catch (IllegalArgumentException e) {
        String shapesText = in.size() == 1 ? "input shape " + in.get(0) : "input shapes " + in;
        throw new ShapeException(i, shapesText + " does not fit: " + e.getMessage(), e);
      }
      nodeShapes.add(out);
      maskStart[i] = checkMasking(i, node.layer(), maskStart, layerPaths);
      trainable[i] = params.size() > paramsBefore || Arrays.stream(sources[i]).anyMatch(src -> src != INPUT && trainable[src]);
      if (node.name() != null) {
        if (names.containsKey(node.name())) throw new ShapeException(i, "the name '" + node.name() + "' is already used", null);
        names.put(node.name(), i);
      }
    }
    for (int i = 0; i < n - 1; i++) {
      if (consumers[i] == 0) {
        throw new ShapeException(i, "its output is not used: the model's output is the last layer's, so every other layer must "
            + "feed a later one", null);
      }
    }
    shapes.add(input);
    shapes.addAll(nodeShapes);
    trainingPass = new Pass[n];
    for (int i = 0; i < n; i++) trainingPass[i] = nodes.get(i).trainable() ? Pass.TRAINING : Pass.INFERENCE;
    List<Param> unfrozen = new ArrayList<>();
    for (Param p : params) {
      if (nodes.get(Integer.parseInt(p.name().split("\\.")[1])).trainable()) unfrozen.add(p);
    }
    trainableParams = unfrozen.size() == params.size() ? paramsView : Collections.unmodifiableList(unfrozen);
    outputs = new Tensor[n];
    masks = new StepMask[n];
    grads = new Tensor[n + 1];
    accumulators = new Tensor[n + 1];
    inputLists.clear();
    for (int i = 0; i < n; i++) inputLists.add(new ArrayList<>(Collections.nCopies(sources[i].length, null)));
    return nodeShapes.get(n - 1);
  }

  /**
   * Where a padding mask goes: node {@code i} reads a masked sequence if one of its sources is masked, and
   * must then honour it ({@link Layer.Masking}); returns the node that started the mask of its output, or -1.
   */
  private int checkMasking(int i, Layer layer, int[] maskStart, List<String> layerPaths) {
    int start = -1;
    for (int s : sources[i]) if (s != INPUT && maskStart[s] >= 0) start = maskStart[s];
    maskedInput[i] = start >= 0;
    Layer.Masking m = layer.masking();
    if (start >= 0 && m == Layer.Masking.REFUSES) {
      throw new ShapeException(i, "its input is a padded sequence (the padding mask starts at " + layerPaths.get(start)
          + "), but this layer would count the padded steps as real. End the mask first with a layer that honours it: "
          + "a recurrence without return_sequences, last, global_avg_pool1d or global_max_pool1d", null);
    }
    return switch (m) {
      case STARTS -> i;
      case KEEPS -> start;
      default -> -1;
    };
  }

  /** Runs the layers in order; in training, a frozen layer runs in inference mode (batch norm keeps its statistics). */
  public Tensor forward(Tensor input, Pass pass) {
    for (int i = 0; i < nodes.size(); i++) {
      Layer layer = nodes.get(i).layer();
      int[] src = sources[i];
      Pass p = pass == Pass.TRAINING ? trainingPass[i] : pass;
      StepMask inputMask = null;
      if (maskedInput[i]) {
        for (int s : src) if (s != INPUT && masks[s] != null) inputMask = masks[s];
        layer.mask(inputMask);
      }
      if (src.length == 1) {
        outputs[i] = layer.forward(src[0] == INPUT ? input : outputs[src[0]], p);
      } else {
        List<Tensor> in = inputLists.get(i);
        for (int k = 0; k < src.length; k++) in.set(k, src[k] == INPUT ? input : outputs[src[k]]);
        outputs[i] = ((MultiInputLayer) layer).forward(in, p);
      }
      masks[i] = switch (layer.masking()) {
        case STARTS -> layer.outputMask();
        case KEEPS -> inputMask;
        default -> null;
      };
    }
    return outputs[nodes.size() - 1];
  }

  /** The padding mask of the model's output in the last forward pass, or null when it has none (its last layer ends or never saw one). */
  public StepMask outputMask() {
    return masks[nodes.size() - 1];
  }

  /** Layer {@code i}'s output of the last forward pass (a buffer the next pass overwrites). */
  public Tensor outputOf(int i) {
    return outputs[i];
  }

  /**
   * Backpropagates d(loss)/d(output); returns d(loss)/d(input) (null when built without input
   * gradients). Gradients accumulate into the params.
   */
  public Tensor backward(Tensor gradOutput) {
    int n = nodes.size();
    Arrays.fill(grads, null);
    grads[n - 1] = gradOutput;
    for (int i = n - 1; i >= 0; i--) {
      Layer layer = nodes.get(i).layer();
      int[] src = sources[i];
      if (grads[i] == null) continue; // nothing before this layer needs a gradient
      if (src.length == 1) {
        collect(src[0], layer.backward(grads[i]));
      } else {
        List<Tensor> gs = ((MultiInputLayer) layer).backwardAll(grads[i]);
        for (int k = 0; k < src.length; k++) collect(src[k], gs.get(k));
      }
    }
    return grads[n];
  }

  /** Hands a gradient to its source; a source read by several layers sums them in a buffer of its own. */
  private void collect(int source, Tensor g) {
    int slot = source == INPUT ? nodes.size() : source;
    if (g == null) return; // not needed: nothing before it has params
    if (consumers[slot] == 1) {
      grads[slot] = g;
      return;
    }
    if (grads[slot] == null) {
      accumulators[slot] = Tensor.reuse(accumulators[slot], g.shape());
      System.arraycopy(g.data(), 0, accumulators[slot].data(), 0, g.size());
      grads[slot] = accumulators[slot];
    } else {
      float[] acc = grads[slot].data();
      float[] add = g.data();
      for (int j = 0; j < acc.length; j++) acc[j] += add[j];
    }
  }

  public void zeroGrad() {
    for (int i = 0; i < params.size(); i++) {
      Param p = params.get(i);
      float[] g = p.grad().data();
      if (g.length < ZERO_BLOCK) {
        p.zeroGrad();
        continue;
      }
      // a megabyte per step for a 784-256-128-10 MLP: worth both threads
      zeroing = g;
      Parallel.forRanges((g.length + ZERO_BLOCK - 1) / ZERO_BLOCK, zeroBlocks);
      zeroing = null;
    }
  }

  /** The params of the layers that are not frozen ({@code trainable: false}), in order: what the optimizer and the regularizers see. */
  public List<Param> trainableParams() {
    return trainableParams;
  }

  /** The params in order (an unmodifiable view, the same object every call). */
  public List<Param> params() {
    return paramsView;
  }

  public List<Layer> layers() {
    return nodes.stream().map(Node::layer).toList();
  }

  /**
   * The tensors of layers that keep state besides their params (batch_norm's running statistics),
   * named like params ({@code layers.3.running_mean}, as PyTorch's buffers): saved with the weights
   * so the model evaluates the same after loading.
   */
  public Map<String, Tensor> buffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).layer() instanceof Stateful s) {
        int index = i;
        s.state().tensors().forEach((k, v) -> out.put("layers." + index + "." + k, v));
      }
    }
    return out;
  }

  /** The layers with their names and inputs, in config order. */
  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The per-sample shapes layer {@code i} reads: the model input or earlier layers' outputs, in its inputs' order. */
  public List<Shape> inputShapes(int i) {
    List<Shape> in = new ArrayList<>();
    for (int src : sources[i]) in.add(shapes.get(src == INPUT ? 0 : src + 1));
    return in;
  }

  /** Per-sample shapes: the input, then each layer's output. */
  public List<Shape> shapes() {
    return Collections.unmodifiableList(shapes);
  }

  public long parameterCount() {
    return params.stream().mapToLong(p -> p.value().size()).sum();
  }
}
