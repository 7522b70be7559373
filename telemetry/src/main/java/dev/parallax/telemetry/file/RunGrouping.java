package dev.parallax.telemetry.file;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.trace.ToolSpanAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * Which run a tool call belongs to. Parallax puts the run's id (parallax.run.id) on the run span
 * and on every call span, and makes the call spans children of the run span. Files from elsewhere,
 * or trimmed ones, may lack either. So:
 *   1. a run span is keyed by its run id, or by its own span id when it has none;
 *   2. a call with a run id joins that run;
 *   3. a call without one joins its parent if the parent is a run span;
 *   4. other calls are grouped by their parent span (or, for root calls, by trace): calls made
 *      together under one agent step read as one run with an unknown id.
 */

/** Groups tool spans into runs. Stateless. */
final class RunGrouping {

  private RunGrouping() {}

  static List<TraceRun> runs(List<TraceSpan> spans, Map<String, TraceSpan> byId) {
    Map<String, Group> groups = new LinkedHashMap<>();
    for (TraceSpan span : spans) {
      if (span.isRun()) {
        Group group = groups.computeIfAbsent(runKey(span), k -> new Group(span.traceId()));
        if (group.span == null) {
          group.span = span;
        }
      }
    }
    for (TraceSpan span : spans) {
      ExecutionRecord record = span.record();
      if (record == null) {
        continue;
      }
      String key;
      if (!record.runId().isEmpty()) {
        key = "run:" + record.runId();
      } else {
        TraceSpan parent =
            span.isRoot() ? null : byId.get(SpanGraph.key(span.traceId(), span.parentSpanId()));
        key =
            parent != null && parent.isRun()
                ? runKey(parent)
                : "parent:" + SpanGraph.key(span.traceId(), span.parentSpanId());
      }
      groups.computeIfAbsent(key, k -> new Group(span.traceId())).calls.add(span);
    }
    return groups.values().stream()
        .map(Group::toRun)
        .sorted(Comparator.comparingLong(RunGrouping::start))
        .toList();
  }

  private static String runKey(TraceSpan runSpan) {
    String runId = runSpan.attributes().get(ToolSpanAttributes.RUN_ID);
    return runId != null && !runId.isEmpty()
        ? "run:" + runId
        : "span:" + SpanGraph.key(runSpan.traceId(), runSpan.spanId());
  }

  private static long start(TraceRun run) {
    TraceSpan span = run.span();
    if (span != null) {
      return span.startEpochNanos();
    }
    return run.calls().isEmpty() ? Long.MAX_VALUE : run.calls().getFirst().startEpochNanos();
  }

  private static final class Group {
    final String traceId;
    @Nullable TraceSpan span;
    final List<TraceSpan> calls = new ArrayList<>();

    Group(String traceId) {
      this.traceId = traceId;
    }

    TraceRun toRun() {
      String runId = "";
      if (span != null) {
        runId = Objects.requireNonNullElse(span.attributes().get(ToolSpanAttributes.RUN_ID), "");
      }
      for (TraceSpan call : calls) {
        if (runId.isEmpty()) {
          runId = Objects.requireNonNull(call.record()).runId();
        }
      }
      List<TraceSpan> ordered =
          calls.stream()
              .sorted(
                  Comparator.comparingLong(TraceSpan::startEpochNanos)
                      .thenComparingInt(TraceSpan::line))
              .toList();
      return new TraceRun(runId, traceId, span, ordered);
    }
  }
}
