package dev.neurite.spark;

import dev.neurite.train.StepExchange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.BarrierTaskContext;

/**
 * A data-parallel step's shares swapped through Spark's barrier {@code allGather}: each task sends its
 * share as text (Base64 of little-endian numbers) and receives every task's, in partition order, which is
 * the order of their gradient groups.
 *
 * <p>Spark's {@code allGather} waits for the coordinator's reply by sleeping a whole second at a time between
 * looks ({@code BarrierTaskContext.runBarrier}), which would cost a second per training step. Its sleep ends
 * early when the task thread is interrupted, and an interrupt that does not come with a kill only makes it
 * look again; so while this task waits in {@code allGather}, a helper thread interrupts it every
 * {@link #NUDGE_NANOS}. The interrupts stop, and the interrupted flag is cleared, before {@code allGather}'s
 * caller goes on, so nothing after it (file writes through channels, which an interrupt would close) sees one.
 */
final class BarrierExchange implements StepExchange, AutoCloseable {
  /** How often a waiting task looks whether every task's share has arrived. */
  static final long NUDGE_NANOS = 200_000;

  private final BarrierTaskContext context;
  private final int first;
  private final int end;
  private final Thread task = Thread.currentThread();
  private final Object lock = new Object();
  private volatile boolean gathering; // written under lock
  private volatile boolean closed;
  private final Thread nudger;

  BarrierExchange(BarrierTaskContext context, int first, int end) {
    this.context = context;
    this.first = first;
    this.end = end;
    nudger = new Thread(this::nudge, "neurite-barrier-nudger");
    nudger.setDaemon(true);
    nudger.start();
  }

  private void nudge() {
    while (!closed) {
      if (!gathering) {
        LockSupport.park(this);
        continue;
      }
      LockSupport.parkNanos(this, NUDGE_NANOS);
      synchronized (lock) {
        if (gathering) task.interrupt();
      }
    }
  }

  /** {@code allGather} with the helper's interrupts on while it waits, and none left after it. */
  private String[] allGather(String message) {
    synchronized (lock) {
      gathering = true;
    }
    LockSupport.unpark(nudger);
    try {
      return context.allGather(message);
    } finally {
      synchronized (lock) {
        gathering = false;
      }
      Thread.interrupted(); // a nudge that arrived as allGather returned
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(nudger);
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
    String[] all = allGather(encode(mine));
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
