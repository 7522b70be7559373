package dev.parallax.core.internal;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.ExecutionRecordSink;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The executor's {@link ExecutionRecordSink}s, each called in isolation: what one throws (an {@link
 * Error} included) is counted and logged (the 1st, 2nd, 4th, 8th… failure) and the others still get
 * the record. Thread-safe. Internal; may change at any time.
 */
public final class RecordSinks {

  /** No sinks: the engine builds no records. */
  public static final RecordSinks NONE = new RecordSinks(List.of());

  private static final Logger LOG = Logger.getLogger(RecordSinks.class.getName());

  private final ExecutionRecordSink[] sinks;
  private final AtomicLong failures = new AtomicLong();

  /** The given sinks, in order. */
  public RecordSinks(List<ExecutionRecordSink> sinks) {
    this.sinks = sinks.toArray(ExecutionRecordSink[]::new);
  }

  /** Whether there is no sink, so no record needs building. */
  public boolean isEmpty() {
    return sinks.length == 0;
  }

  /** How many sink calls threw. */
  public long failures() {
    return failures.get();
  }

  /** Hands the record to every sink, each in isolation; never throws. */
  public void emit(ExecutionRecord record) {
    for (ExecutionRecordSink sink : sinks) {
      try {
        sink.accept(record);
      } catch (Throwable e) {
        long n = failures.incrementAndGet();
        if (Long.bitCount(n) == 1) {
          Guard.log(
              LOG,
              "execution record sink "
                  + sink
                  + " threw on a record of call "
                  + record.callId()
                  + "; ignored (failure "
                  + n
                  + "; the 1st, 2nd, 4th, 8th… are logged)",
              e);
        }
      }
    }
  }
}
