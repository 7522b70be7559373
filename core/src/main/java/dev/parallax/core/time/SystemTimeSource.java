package dev.parallax.core.time;

import dev.parallax.core.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Real time: the system clock and one daemon timer thread. Close it to stop the thread; tasks not
 * yet run are dropped. Thread-safe.
 */
public final class SystemTimeSource implements TimeSource, AutoCloseable {

  private final ScheduledThreadPoolExecutor timer;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** Prepares the timer; its thread, named {@code parallax-timer}, starts with the first task. */
  public SystemTimeSource() {
    ThreadFactory platform = Thread.ofPlatform().name("parallax-timer").daemon(true).factory();
    ThreadFactory factory =
        task -> {
          Thread thread = platform.newThread(task);
          threads.add(thread);
          return thread;
        };
    timer = new ScheduledThreadPoolExecutor(1, factory);
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(task, "task");
    ScheduledFuture<?> future =
        timer.schedule(task, Durations.toNanosSaturated(delay), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /** Stops the timer thread and waits (up to 10 s) for it to end. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      for (Thread thread : threads) {
        if (thread != Thread.currentThread()) {
          thread.join(Duration.ofSeconds(10));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
