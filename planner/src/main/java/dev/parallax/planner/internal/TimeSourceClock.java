package dev.parallax.planner.internal;

import dev.parallax.core.time.TimeSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that reads a {@link TimeSource}, so libraries that take a clock (Resilience4j)
 * follow virtual time in tests. Thread-safe if the time source is. Internal; may change at any
 * time.
 */
public final class TimeSourceClock extends Clock {

  private final TimeSource time;
  private final ZoneId zone;

  /** A clock in UTC. */
  public TimeSourceClock(TimeSource time) {
    this(time, ZoneOffset.UTC);
  }

  private TimeSourceClock(TimeSource time, ZoneId zone) {
    this.time = Objects.requireNonNull(time, "time");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(this.zone) ? this : new TimeSourceClock(time, zone);
  }

  @Override
  public Instant instant() {
    return time.now();
  }

  @Override
  public String toString() {
    return "TimeSourceClock[" + time + ", " + zone + "]";
  }
}
