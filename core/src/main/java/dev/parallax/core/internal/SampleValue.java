package dev.parallax.core.internal;

import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.AttemptSample.Outcome;
import java.time.Duration;
import java.util.Objects;

/**
 * An {@link AttemptSample} holding its values. Internal; may change at any time.
 *
 * @param tool the tool that ran
 * @param latency from the start of the attempt to its end
 * @param outcome how it ended
 * @param inFlight calls of the run running when it started
 */
public record SampleValue(String tool, Duration latency, Outcome outcome, int inFlight)
    implements AttemptSample {

  /** Checks that no field is null. */
  public SampleValue {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(outcome, "outcome");
  }
}
