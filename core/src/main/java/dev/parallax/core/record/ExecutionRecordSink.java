package dev.parallax.core.record;

/**
 * Where the engine's {@link ExecutionRecord}s go: the seam through which telemetry (metrics and
 * spans' counterpart), the history store and the model trainer learn what ran. Register sinks with
 * {@code ToolExecutor.Builder.recordSink}; several are allowed.
 *
 * <p>The engine calls {@link #accept} once per attempt of every call — and once, with attempt 0,
 * for every call that never started (skipped because a dependency failed, cancelled, refused
 * arguments, deadline passed first) — on the thread that handles the run's events, in the order the
 * attempts ended. The last record of a call has {@link ExecutionRecord#finalAttempt()} set. Records
 * are built from the engine's own facts: no OpenTelemetry SDK is needed.
 *
 * <p>Implementations must be thread-safe (runs of one executor emit concurrently) and quick: a sink
 * runs inside the engine's event, so anything slow (I/O, training) belongs on another thread.
 * Whatever a sink throws, an {@link Error} included, is logged, counted and ignored: it never
 * changes a call's result or stops the engine, and the other sinks still get the record.
 */
@FunctionalInterface
public interface ExecutionRecordSink {

  /** Receives one record. Must be quick and must not block. */
  void accept(ExecutionRecord record);
}
