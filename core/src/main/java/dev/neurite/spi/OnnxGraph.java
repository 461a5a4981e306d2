package dev.neurite.spi;

import dev.neurite.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The ONNX graph {@code ./neurite export} is writing, as a layer or transform sees it in
 * {@link OnnxExportable#toOnnx}: it adds nodes and constants by name and gets back the names of their
 * outputs. Tensors in the graph are batch-first float32, with the batch dimension left free; operator
 * names and attributes are ONNX's (opset {@link #opset()}).
 */
public interface OnnxGraph {
  /** The ONNX operator set the graph is written for. */
  int opset();

  /** Adds a float32 constant (an initializer) with the given value and shape; returns its name. */
  String constant(String hint, Tensor value);

  /** Adds an int64 constant of shape {@code [values.length]} (a shape, axes); returns its name. */
  String ints(String hint, long... values);

  /**
   * Adds a node with one output; returns the output's name. Attribute values are Integer or Long
   * (INT), Float or Double (FLOAT), String (STRING), long[] (INTS), float[] (FLOATS) or String[] (STRINGS).
   */
  String node(String opType, List<String> inputs, Map<String, Object> attributes);

  /**
   * Adds a node with several outputs (an LSTM's Y, Y_h and Y_c); returns their names in ONNX's order.
   * An output the graph does not use is still named.
   */
  List<String> node(String opType, List<String> inputs, Map<String, Object> attributes, int outputs);

  /** As {@link #node(String, List, Map)} without attributes. */
  default String node(String opType, String... inputs) {
    return node(opType, List.of(inputs), Map.of());
  }
}
