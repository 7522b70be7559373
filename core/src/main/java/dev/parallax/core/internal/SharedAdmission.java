package dev.parallax.core.internal;

import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.RunScheduler;
import org.jspecify.annotations.Nullable;

/**
 * A run's share of a cross-run scheduler with the user's admission control after it: a call starts
 * when both admit it, and a call the user's admission refuses gives its share back ({@link
 * RunScheduler.Slots#notStarted}). The scheduler goes first because only it can take an admission
 * back. Used from the run's serialized events only. Internal; may change at any time.
 */
final class SharedAdmission implements Admission {

  private final RunScheduler.Slots shared;
  private final @Nullable Admission custom;

  SharedAdmission(RunScheduler.Slots shared, @Nullable Admission custom) {
    this.shared = shared;
    this.custom = custom;
  }

  @Override
  public boolean tryAcquire(PendingCall call) {
    if (!shared.tryAcquire(call)) {
      return false;
    }
    if (custom == null) {
      return true;
    }
    boolean admitted = false;
    try {
      admitted = custom.tryAcquire(call);
      return admitted;
    } finally {
      if (!admitted) { // refused or threw: the call does not start, its share goes back
        shared.notStarted(call);
      }
    }
  }

  @Override
  public void release(PendingCall call, AttemptSample sample) {
    try {
      if (custom != null) {
        custom.release(call, sample);
      }
    } finally {
      shared.release(call, sample);
    }
  }

  @Override
  public void stopping() {
    try {
      if (custom != null) {
        custom.stopping();
      }
    } finally {
      shared.stopping();
    }
  }

  @Override
  public void close() {
    try {
      if (custom != null) {
        custom.close();
      }
    } finally {
      shared.close();
    }
  }
}
