package dev.neurite.spi;

import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's per-param buffers (moments, accumulators, momentum) and its step count, with their
 * {@link State} form for checkpoints: tensors {@code <buffer>.<param name>} and the number
 * {@code step}. The built-in optimizers keep their memory in one.
 *
 * <pre>{@code
 * private final OptimizerBuffers buffers = new OptimizerBuffers("m", "v");
 *
 * public void step(List<Param> params, StepInfo info) {
 *   long t = buffers.advance();
 *   for (int j = 0; j < params.size(); j++) {
 *     float[][] mv = buffers.of(params.get(j).name(), params.get(j).value().size());
 *     ...
 *   }
 * }
 * public State state() { return buffers.state(); }
 * public void load(State state) { buffers.load(state, "my_adam"); }
 * }</pre>
 */
public final class OptimizerBuffers {
  private final String[] buffers;
  private final Map<String, float[][]> byParam = new LinkedHashMap<>();
  private long step;

  /** Buffers with these names, each the size of its param. */
  public OptimizerBuffers(String... buffers) {
    this.buffers = buffers.clone();
  }

  /** Counts a step; the number of this one, from 1. */
  public long advance() {
    return ++step;
  }

  /** Steps counted so far. */
  public long step() {
    return step;
  }

  /** The buffers of one param, zero-filled on first use; index i is the i-th buffer name. */
  public float[][] of(String param, int size) {
    float[][] bufs = byParam.get(param); // not computeIfAbsent: its lambda would be an object per call
    if (bufs == null) {
      bufs = new float[buffers.length][size];
      byParam.put(param, bufs);
    }
    return bufs;
  }

  /** Every buffer of every param, and the step count. */
  public State state() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    byParam.forEach((param, bufs) -> {
      for (int i = 0; i < buffers.length; i++) tensors.put(buffers[i] + "." + param, Tensor.wrap(bufs[i].clone(), bufs[i].length));
    });
    return new State(tensors, Map.of("step", step));
  }

  /** Replaces everything with {@code state}; an entry of no known buffer is refused, naming {@code optimizer}. */
  public void load(State state, String optimizer) {
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
