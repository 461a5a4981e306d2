package dev.neurite.spark;

import dev.neurite.train.StepExchange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;

/**
 * A data-parallel step's shares swapped through Spark's barrier {@code allGather}: each task sends its
 * share as text (Base64 of little-endian numbers) and receives every task's, in partition order, which is
 * the order of their gradient groups.
 */
final class BarrierExchange implements StepExchange {
  private final BarrierTaskContext context;
  private final int first;
  private final int end;

  BarrierExchange(BarrierTaskContext context, int first, int end) {
    this.context = context;
    this.first = first;
    this.end = end;
  }

  @Override
  public int first() {
    return first;
  }

  @Override
  public int end() {
    return end;
  }

  @Override
  public List<Share> exchange(Share mine) {
    String[] all = context.allGather(encode(mine));
    List<Share> shares = new ArrayList<>(all.length);
    for (String text : all) {
      Share s = decode(text);
      if (s.step() != mine.step()) {
        throw new IllegalStateException("data-parallel workers out of step: this one is at step " + mine.step()
            + ", the one with gradient groups " + s.first() + " to " + (s.end() - 1) + " at step " + s.step()
            + " (did they start from different checkpoints?)");
      }
      shares.add(s);
    }
    return shares;
  }

  static String encode(Share s) {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 * 5 + 8 * s.losses().length + 4 * s.outputs().length + 4 * s.gradient().length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(s.step()).putInt(s.first()).putInt(s.end());
    b.putInt(s.losses().length);
    for (double l : s.losses()) b.putDouble(l);
    b.putInt(s.outputs().length);
    b.asFloatBuffer().put(s.outputs());
    b.position(b.position() + 4 * s.outputs().length);
    b.putInt(s.gradient().length);
    b.asFloatBuffer().put(s.gradient());
    return Base64.getEncoder().encodeToString(b.array());
  }

  static Share decode(String text) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
    long step = b.getLong();
    int first = b.getInt();
    int end = b.getInt();
    double[] losses = new double[b.getInt()];
    for (int i = 0; i < losses.length; i++) losses[i] = b.getDouble();
    float[] outputs = new float[b.getInt()];
    b.asFloatBuffer().get(outputs);
    b.position(b.position() + 4 * outputs.length);
    float[] gradient = new float[b.getInt()];
    b.asFloatBuffer().get(gradient);
    return new Share(step, first, end, gradient, losses, outputs);
  }
}
