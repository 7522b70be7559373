package dev.parallax.core.internal;

import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs every attempt on a new (unnamed, like {@code Executors.newVirtualThreadPerTaskExecutor}'s)
 * virtual thread; cancelling interrupts it. Internal; may change at any time.
 */
public final class VirtualThreadRunner implements CallRunner {

  /** The one instance. */
  public static final VirtualThreadRunner INSTANCE = new VirtualThreadRunner();

  private static final ThreadFactory THREADS = Thread.ofVirtual().factory();

  private VirtualThreadRunner() {}

  @Override
  public Cancellable start(AttemptExecution attempt) {
    Started started = new Started(attempt);
    Thread thread = THREADS.newThread(started);
    started.thread = thread; // before start(): the thread and whoever cancels see it
    thread.start();
    return started;
  }

  /** The thread's task and its handle in one object (one allocation per attempt, not two). */
  private static final class Started implements Runnable, Cancellable {
    private final AttemptExecution attempt;
    private @Nullable Thread thread;

    Started(AttemptExecution attempt) {
      this.attempt = attempt;
    }

    @Override
    public void run() {
      attempt.runHere();
    }

    @Override
    public void cancel() {
      Thread started = thread;
      if (started != null) {
        started.interrupt();
      }
    }
  }
}
