package dev.parallax.telemetry.file;

import dev.parallax.core.record.ExecutionRecord;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One run as read from a trace file: its {@code parallax.run} span, if the file has it, and its
 * tool calls in start order.
 *
 * @param runId the run's id, or {@code ""} when neither its span nor its calls carry one
 * @param traceId the trace it belongs to
 * @param span its {@code parallax.run} span, or {@code null} if the file does not have it
 * @param calls its tool-call spans, each with a {@linkplain TraceSpan#record() record}, in start
 *     order
 */
public record TraceRun(
    String runId, String traceId, @Nullable TraceSpan span, List<TraceSpan> calls) {

  /** Validates and copies. */
  public TraceRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(traceId, "traceId");
    calls = List.copyOf(calls);
    for (TraceSpan call : calls) {
      if (call.record() == null) {
        throw new IllegalArgumentException("not a tool call: " + call.name());
      }
    }
  }

  /** The records of its calls, in start order. */
  public List<ExecutionRecord> records() {
    return calls.stream().map(call -> Objects.requireNonNull(call.record())).toList();
  }
}
