package dev.parallax.core.internal;

import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;

/**
 * The fixed per-tool limits (policies, {@code toolConcurrency}, one at a time for tools that are
 * not concurrency-safe) under a custom admission control: a call starts only when both admit it,
 * and a call the custom admission refuses gives its fixed slot back. Used from the run's serialized
 * events only. Internal; may change at any time.
 */
final class LayeredAdmission implements Admission {

  private final FixedToolLimits fixed;
  private final Admission custom;

  LayeredAdmission(FixedToolLimits fixed, Admission custom) {
    this.fixed = fixed;
    this.custom = custom;
  }

  @Override
  public boolean tryAcquire(PendingCall call) {
    if (!fixed.tryAcquire(call)) {
      return false;
    }
    boolean admitted = false;
    try {
      admitted = custom.tryAcquire(call);
      return admitted;
    } finally {
      if (!admitted) { // refused or threw: the call does not start, so it holds no fixed slot
        fixed.undo(call.tool().name());
      }
    }
  }

  @Override
  public void release(PendingCall call, AttemptSample sample) {
    try {
      custom.release(call, sample);
    } finally {
      fixed.release(call, sample);
    }
  }

  @Override
  public void stopping() {
    custom.stopping();
  }

  @Override
  public void close() {
    custom.close();
  }
}
