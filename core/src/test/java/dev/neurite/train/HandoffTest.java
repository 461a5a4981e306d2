package dev.neurite.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a lost wakeup would hang a thread: fail instead
class HandoffTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The two ends of a queue as the prefetch loop uses them: one thread puts, the other takes. */
  private interface Put {
    void put(Integer item) throws InterruptedException;
  }

  private interface Take {
    Integer take() throws InterruptedException;
  }

  private static long pass(Handoff<Integer> queue, Integer[] items) throws Exception {
    return pass(queue::put, queue::take, items);
  }

  private static long pass(BlockingQueue<Integer> queue, Integer[] items) throws Exception {
    return pass(queue::put, queue::take, items);
  }

  /**
   * Passes {@code items} through {@code queue} from a second thread, checking their order; returns
   * the bytes both threads allocated meanwhile (the items are made beforehand).
   */
  private static long pass(Put put, Take take, Integer[] items) throws Exception {
    long[] producerBytes = new long[1];
    Thread producer = new Thread(() -> {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      try {
        for (Integer item : items) put.put(item);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      producerBytes[0] = THREADS.getCurrentThreadAllocatedBytes() - before;
    }, "handoff-test-producer");
    producer.setDaemon(true); // a hung one must not keep the JVM alive
    producer.start();
    long before = THREADS.getCurrentThreadAllocatedBytes(); // after start(), which may grow the thread group's array
    int outOfOrder = -1;
    for (int i = 0; i < items.length; i++) {
      if (take.take() != items[i] && outOfOrder < 0) outOfOrder = i;
    }
    long consumerBytes = THREADS.getCurrentThreadAllocatedBytes() - before;
    producer.join();
    assertThat(outOfOrder).as("first item taken out of order").isEqualTo(-1);
    return consumerBytes + producerBytes[0];
  }

  private static Integer[] items(int n) {
    Integer[] items = new Integer[n];
    for (int i = 0; i < n; i++) items[i] = Integer.valueOf(i + 1_000_000); // outside the Integer cache: distinct objects
    return items;
  }

  @Test
  void passesEveryItemInOrderBetweenTwoThreads() throws Exception {
    for (int capacity : new int[] {1, 2, 3}) {
      pass(new Handoff<>(capacity), items(20_000));
    }
  }

  @Test
  void itsWaitsCreateNoObjectWhereArrayBlockingQueuesDo() throws Exception {
    Integer[] items = items(20_000);
    pass(new Handoff<Integer>(1), items); // warm-up: classes loaded
    pass(new ArrayBlockingQueue<Integer>(1), items);
    // capacity 1: the two threads wait for each other at nearly every item. An ArrayBlockingQueue
    // makes a node per wait: 1.0-1.3 MB here. The Handoff makes none: 0 bytes in most runs, and at times
    // 64-464 bytes that are the JVM's own (the queue's code has no `new`)
    long handoff = pass(new Handoff<Integer>(1), items);
    long blockingQueue = pass(new ArrayBlockingQueue<Integer>(1), items);
    assertThat(handoff).as("bytes allocated passing 20,000 items").isLessThan(2_048);
    assertThat(blockingQueue).as("the same through an ArrayBlockingQueue").isGreaterThan(100_000);
  }

  @Test
  void anInterruptEndsAWaitOnEitherSide() throws Exception {
    Handoff<Integer> empty = new Handoff<>(1);
    CompletableFuture<Throwable> taker = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        empty.take();
        taker.complete(null);
      } catch (Throwable e) {
        taker.complete(e);
      }
    });
    t.start();
    Thread.sleep(50);
    t.interrupt();
    assertThat(taker.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);

    Handoff<Integer> full = new Handoff<>(1);
    full.put(1);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> full.put(2)).isInstanceOf(InterruptedException.class);
    assertThat(full.take()).isEqualTo(1);
  }

  @Test
  void rejectsACapacityBelowOne() {
    assertThatThrownBy(() -> new Handoff<Integer>(0)).hasMessage("capacity 0 is below 1");
  }
}
