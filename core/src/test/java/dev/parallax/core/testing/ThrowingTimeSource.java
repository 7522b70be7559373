package dev.parallax.core.testing;

import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;

/** The real clock with a timer that throws the given error whenever a task is scheduled. */
public final class ThrowingTimeSource implements TimeSource {

  private final Throwable error;

  public ThrowingTimeSource(Throwable error) {
    this.error = error;
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
    throw ThrowingTimeSource.<RuntimeException>sneaky(error);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
