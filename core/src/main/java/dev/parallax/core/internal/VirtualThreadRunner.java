package dev.parallax.core.internal;

import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import java.util.concurrent.ThreadFactory;

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
    Thread thread = THREADS.newThread(attempt::runHere);
    thread.start();
    return thread::interrupt;
  }
}
