package dev.neurite.train;

import java.util.concurrent.locks.LockSupport;

/**
 * A bounded first-in-first-out queue between exactly one producer thread and one consumer thread,
 * whose waits create no object: a waiting thread parks, and the other side unparks it after it
 * moved the queue on. ({@code ArrayBlockingQueue} makes a node for every wait: for the batch
 * loader that was an object per batch.) A wait ends with an {@link InterruptedException} when the
 * waiting thread is interrupted.
 *
 * <p>Why no wakeup is lost: a waiter publishes itself, then checks the queue again; the other side
 * moves the queue, then checks for a waiter. All four are volatile, so one of the two sees the other.
 */
final class Handoff<T> {
  private final Object[] items;
  /** Items taken and put so far; only the consumer writes {@code taken}, only the producer {@code put}. */
  private volatile long taken;
  private volatile long put;
  private volatile Thread waitingConsumer;
  private volatile Thread waitingProducer;

  Handoff(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity + " is below 1");
    items = new Object[capacity];
  }

  /** Adds {@code item} at the end, waiting while the queue is full. Producer thread only. */
  void put(T item) throws InterruptedException {
    while (put - taken == items.length) {
      waitingProducer = Thread.currentThread();
      if (put - taken == items.length) LockSupport.park(this);
      waitingProducer = null;
      if (Thread.interrupted()) throw new InterruptedException();
    }
    items[(int) (put % items.length)] = item;
    put++; // the volatile write publishes the item
    Thread consumer = waitingConsumer;
    if (consumer != null) LockSupport.unpark(consumer);
  }

  /** Removes the first item, waiting while the queue is empty. Consumer thread only. */
  @SuppressWarnings("unchecked")
  T take() throws InterruptedException {
    while (put == taken) {
      waitingConsumer = Thread.currentThread();
      if (put == taken) LockSupport.park(this);
      waitingConsumer = null;
      if (Thread.interrupted()) throw new InterruptedException();
    }
    int at = (int) (taken % items.length);
    T item = (T) items[at];
    items[at] = null;
    taken++;
    Thread producer = waitingProducer;
    if (producer != null) LockSupport.unpark(producer);
    return item;
  }
}
