package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import java.util.List;

/**
 * A layer or transform that {@code ./neurite export} can write as ONNX nodes. Implementing it is
 * optional: exporting a model with a layer that does not is an error naming the layer and its plugin.
 * Called on the trained component (its params and fitted state are the final ones), in inference mode.
 */
public interface OnnxExportable {
  /**
   * Adds this component's computation to {@code graph}, reading {@code inputs} (tensor names, one per
   * input, batch first) whose per-sample shapes are {@code inputShapes}; returns the output's name.
   */
  String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes);
}
