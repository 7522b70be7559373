package dev.parallax.core.time;

import java.time.Duration;
import java.time.Instant;
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

  /** Starts the timer thread, named {@code parallax-timer}. */
  public SystemTimeSource() {
    ThreadFactory factory = Thread.ofPlatform().name("parallax-timer").daemon(true).factory();
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
    ScheduledFuture<?> future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /** Stops the timer thread and waits for it to end. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
