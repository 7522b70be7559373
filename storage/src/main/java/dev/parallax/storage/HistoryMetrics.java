package dev.parallax.storage;

import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.function.LongSupplier;

/**
 * The metrics of a {@link BufferedHistoryWriter}, under the instrumentation scope {@value #SCOPE}:
 *
 * <ul>
 *   <li>{@value #DELIVERED}, {@value #REJECTED}: records the store acknowledged or refused as bad;
 *   <li>{@value #SPILLED}: records that overflowed the in-memory buffer to the spill files;
 *   <li>{@value #DROPPED}: records never stored — offered after close, refused with the buffer full
 *       and no spill directory, or not spillable (disk error);
 *   <li>{@value #APPEND_FAILURES}: appends that failed and are retried;
 *   <li>{@value #PENDING}, {@value #SPILL_PENDING}: records taken and not yet stored, and those of
 *       them waiting on disk.
 * </ul>
 *
 * <p>Recording never blocks. Thread-safe.
 */
public final class HistoryMetrics {

  /** The instrumentation scope. */
  public static final String SCOPE = "dev.parallax.storage";

  /** Records acknowledged by the store. */
  public static final String DELIVERED = "parallax.history.delivered";

  /** Records the store refused as bad. */
  public static final String REJECTED = "parallax.history.rejected";

  /** Records spilled to disk because the in-memory buffer was full. */
  public static final String SPILLED = "parallax.history.spilled";

  /** Records never stored. */
  public static final String DROPPED = "parallax.history.dropped";

  /** Appends that failed (and are retried). */
  public static final String APPEND_FAILURES = "parallax.history.append_failures";

  /** Records taken and not yet stored. */
  public static final String PENDING = "parallax.history.pending";

  /** Records waiting in spill files. */
  public static final String SPILL_PENDING = "parallax.history.spill_pending";

  private final LongCounter delivered;
  private final LongCounter rejected;
  private final LongCounter spilled;
  private final LongCounter dropped;
  private final LongCounter failures;

  HistoryMetrics(MeterProvider provider, LongSupplier pending, LongSupplier spillPending) {
    Meter meter = provider.get(SCOPE);
    delivered = counter(meter, DELIVERED, "{record}", "History records stored");
    rejected = counter(meter, REJECTED, "{record}", "History records the store refused as bad");
    spilled = counter(meter, SPILLED, "{record}", "History records spilled to disk");
    dropped = counter(meter, DROPPED, "{record}", "History records never stored");
    failures = counter(meter, APPEND_FAILURES, "{append}", "History appends that failed");
    meter
        .gaugeBuilder(PENDING)
        .ofLongs()
        .setUnit("{record}")
        .setDescription("History records taken and not yet stored")
        .buildWithCallback(m -> m.record(pending.getAsLong()));
    meter
        .gaugeBuilder(SPILL_PENDING)
        .ofLongs()
        .setUnit("{record}")
        .setDescription("History records waiting in spill files")
        .buildWithCallback(m -> m.record(spillPending.getAsLong()));
  }

  private static LongCounter counter(Meter meter, String name, String unit, String description) {
    return meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
  }

  void delivered(long n) {
    if (n > 0) {
      delivered.add(n);
    }
  }

  void rejected(long n) {
    if (n > 0) {
      rejected.add(n);
    }
  }

  void spilled(long n) {
    spilled.add(n);
  }

  void dropped(long n) {
    dropped.add(n);
  }

  void failed() {
    failures.add(1);
  }
}
