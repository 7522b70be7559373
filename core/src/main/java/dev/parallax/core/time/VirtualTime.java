package dev.parallax.core.time;

import dev.parallax.core.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Time that moves only when told to: for deterministic tests and discrete-event simulation.
 *
 * <p>{@link #advance(Duration)} moves the clock forward, running every task that falls due on the
 * way, in time order (ties in scheduling order), with the clock set to each task's due time while
 * it runs. Tasks run on the thread that advances the clock and may schedule more tasks.
 * Thread-safe.
 */
public final class VirtualTime implements TimeSource {

  private record Task(long due, long seq, Runnable body) {}

  private final Instant epoch;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long nanos;
  private long seq;

  /** Starts at {@code 2025-01-01T00:00:00Z}. */
  public VirtualTime() {
    this(Instant.parse("2025-01-01T00:00:00Z"));
  }

  /** Starts at the given instant. */
  public VirtualTime(Instant epoch) {
    this.epoch = Objects.requireNonNull(epoch, "epoch");
  }

  @Override
  public synchronized Instant now() {
    return epoch.plusNanos(nanos);
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  /** Time elapsed since the start. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(task, "task");
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    Task t =
        new Task(Durations.addSaturated(nanos, Durations.toNanosSaturated(delay)), seq++, task);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  /** Moves the clock forward by {@code delta}, running the tasks that fall due. */
  public void advance(Duration delta) {
    Objects.requireNonNull(delta, "delta");
    long target;
    synchronized (this) {
      target = Durations.addSaturated(nanos, Durations.toNanosSaturated(delta));
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          nanos = Math.max(nanos, target);
          return;
        }
        tasks.poll();
        nanos = Math.max(nanos, next.due);
      }
      next.body.run();
    }
  }

  /**
   * Moves the clock to the next due task and runs it together with every other task due at that
   * instant.
   *
   * @return {@code false} if no task was scheduled
   */
  public boolean advanceToNext() {
    long due;
    synchronized (this) {
      Task next = tasks.peek();
      if (next == null) {
        return false;
      }
      due = next.due;
    }
    advance(Duration.ofNanos(due - nanoTime()));
    return true;
  }

  /** Runs tasks in time order until none is left; tasks scheduling tasks forever never end. */
  public void runUntilIdle() {
    while (advanceToNext()) {
      // each step runs the tasks due at the next instant
    }
  }

  /** Number of tasks scheduled and not yet run. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }
}
