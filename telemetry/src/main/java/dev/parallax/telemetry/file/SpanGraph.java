package dev.parallax.telemetry.file;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spans of a trace file with their parent/child links, and the {@linkplain TraceRun runs} they
 * form. A span whose parent is not in the file is a {@linkplain #roots() root} here even if it has
 * a parent id. Immutable and thread-safe.
 */
public final class SpanGraph {

  private static final Comparator<TraceSpan> BY_START =
      Comparator.comparingLong(TraceSpan::startEpochNanos).thenComparingInt(TraceSpan::line);

  private final List<TraceSpan> spans;
  private final Map<String, TraceSpan> byId;
  private final Map<String, List<TraceSpan>> children;
  private final List<TraceSpan> roots;
  private final List<TraceRun> runs;

  private SpanGraph(List<TraceSpan> spans) {
    this.spans = List.copyOf(spans);
    Map<String, TraceSpan> index = new HashMap<>();
    for (TraceSpan span : spans) {
      index.putIfAbsent(key(span.traceId(), span.spanId()), span);
    }
    this.byId = Map.copyOf(index);
    Map<String, List<TraceSpan>> kids = new HashMap<>();
    List<TraceSpan> tops = new ArrayList<>();
    for (TraceSpan span : spans) {
      String parent = key(span.traceId(), span.parentSpanId());
      if (!span.isRoot() && byId.containsKey(parent)) {
        kids.computeIfAbsent(parent, k -> new ArrayList<>()).add(span);
      } else {
        tops.add(span);
      }
    }
    Map<String, List<TraceSpan>> sorted = new LinkedHashMap<>();
    kids.forEach((parent, list) -> sorted.put(parent, list.stream().sorted(BY_START).toList()));
    this.children = Map.copyOf(sorted);
    this.roots = tops.stream().sorted(BY_START).toList();
    this.runs = RunGrouping.runs(this.spans, byId);
  }

  /** The graph of these spans; the first of two spans with the same ids wins. */
  static SpanGraph of(List<TraceSpan> spans) {
    return new SpanGraph(spans);
  }

  /** Every span, in file order. */
  public List<TraceSpan> spans() {
    return spans;
  }

  /** The span with these ids (hex, lowercase), if the file has it. */
  public Optional<TraceSpan> find(String traceId, String spanId) {
    return Optional.ofNullable(byId.get(key(traceId, spanId)));
  }

  /** The span's parent, if it has one and the file has it. */
  public Optional<TraceSpan> parent(TraceSpan span) {
    return span.isRoot() ? Optional.empty() : find(span.traceId(), span.parentSpanId());
  }

  /** The span's children, in start order. */
  public List<TraceSpan> children(TraceSpan span) {
    return children.getOrDefault(key(span.traceId(), span.spanId()), List.of());
  }

  /** The spans without a parent in the file, in start order. */
  public List<TraceSpan> roots() {
    return roots;
  }

  /** The runs, in start order; see {@link TraceFileReader} for how spans are grouped. */
  public List<TraceRun> runs() {
    return runs;
  }

  static String key(String traceId, String spanId) {
    return traceId + "/" + spanId;
  }
}
