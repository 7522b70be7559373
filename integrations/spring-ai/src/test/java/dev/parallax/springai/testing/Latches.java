package dev.parallax.springai.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waiting on a latch inside a tool, bounded so that a test that goes wrong fails, never hangs. */
public final class Latches {

  /** Longer than any correct test waits; a test that reaches it has failed. */
  public static final long BOUND_SECONDS = 20;

  private Latches() {}

  /**
   * Waits for the latch.
   *
   * @throws IllegalStateException if it did not open within {@link #BOUND_SECONDS}, or the wait was
   *     interrupted
   */
  public static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gave up waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    }
  }
}
