package dev.parallax.core.spi;

import dev.parallax.core.internal.VirtualThreadRunner;
import dev.parallax.core.time.Cancellable;

/**
 * Where an attempt physically runs. The default starts a virtual thread per attempt; a simulator
 * may instead {@link AttemptExecution#complete complete} attempts in virtual time.
 */
@FunctionalInterface
public interface CallRunner {

  /** One new virtual thread per attempt; cancelling interrupts it. */
  static CallRunner virtualThreads() {
    return VirtualThreadRunner.INSTANCE;
  }

  /**
   * Starts an attempt without blocking.
   *
   * @return a handle that stops the attempt (interrupts its thread). The executor ends the call on
   *     its own, whether or not the tool reacts, but keeps the attempt's concurrency slot until the
   *     attempt's end is reported: a runner must report the end of every attempt it started — after
   *     a cancel too, as soon as the body has stopped (a simulator: at once)
   */
  Cancellable start(AttemptExecution attempt);
}
