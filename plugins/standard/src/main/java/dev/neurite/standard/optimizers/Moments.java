package dev.neurite.standard.optimizers;

import dev.neurite.spi.State;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-param buffers of an optimizer (first and second moments, accumulators, ...) and its step
 * count, with their {@link State} form: tensors {@code <buffer>.<param name>} and the number {@code step}.
 */
final class Moments {
  private final String[] buffers;
  private final Map<String, float[][]> byParam = new LinkedHashMap<>();
  long step;

  Moments(String... buffers) {
    this.buffers = buffers;
  }

  /** The buffers of one param, zero-filled on first use; index i is {@code buffers[i]}. */
  float[][] of(String param, int size) {
    float[][] bufs = byParam.get(param); // not computeIfAbsent: its lambda would be an object per call
    if (bufs == null) {
      bufs = new float[buffers.length][size];
      byParam.put(param, bufs);
    }
    return bufs;
  }

  State state() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    byParam.forEach((param, bufs) -> {
      for (int i = 0; i < buffers.length; i++) tensors.put(buffers[i] + "." + param, Tensor.wrap(bufs[i].clone(), bufs[i].length));
    });
    return new State(tensors, Map.of("step", step));
  }

  void load(State state, String optimizer) {
    byParam.clear();
    step = state.numbers().getOrDefault("step", 0L).longValue();
    state.tensors().forEach((key, t) -> {
      int dot = key.indexOf('.');
      int index = dot < 0 ? -1 : Arrays.asList(buffers).indexOf(key.substring(0, dot));
      if (index < 0) throw new IllegalArgumentException(optimizer + ": unexpected state entry '" + key + "'");
      of(key.substring(dot + 1), t.size())[index] = t.data().clone();
    });
  }
}
