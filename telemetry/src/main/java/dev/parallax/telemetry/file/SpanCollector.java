package dev.parallax.telemetry.file;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.telemetry.record.ToolSpanReader;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns the lines of one trace file into a {@link TraceFile}. Not thread-safe; one per read. */
final class SpanCollector {

  private final Path file;
  private final List<TraceSpan> spans = new ArrayList<>();
  private final List<ExecutionRecord> records = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();
  private int truncatedLines;
  private final Map<String, TraceSpan> seen = new HashMap<>();
  private final Map<String, Integer> defaultedFields = new HashMap<>();
  private int lines;
  private int malformedLines;
  private int skipped;
  private int unreadableToolSpans;
  private int dropped;
  private int defaultedSpans;

  SpanCollector(Path file) {
    this.file = file;
  }

  /** Reads one line of the file; {@code number} counts from 1. */
  void line(int number, String text) {
    line(number, text, false);
  }

  /**
   * Reads one line of the file; {@code number} counts from 1.
   *
   * @param unterminated the file's last line, with no line end: what a writer that crashed leaves.
   *     If its JSON is cut short it is skipped with a {@linkplain TraceFile#warnings() warning}
   *     instead of a problem.
   */
  void line(int number, String text, boolean unterminated) {
    if (text.isBlank()) {
      return;
    }
    lines++;
    OtlpJson.Parsed parsed;
    try {
      parsed = OtlpJson.parse(text);
    } catch (OtlpJson.MalformedLineException e) {
      if (unterminated && e.endOfInput()) {
        truncatedLines++;
        warnings.add(
            new Problem(
                file,
                number,
                "the last line is cut short (a writer that stopped mid-line?) and was skipped: "
                    + e.getMessage()));
        return;
      }
      malformedLines++;
      problems.add(new Problem(file, number, e.getMessage()));
      return;
    }
    parsed.problems().forEach(message -> problems.add(new Problem(file, number, message)));
    dropped += parsed.droppedSpans();
    for (ResourceSpans resourceSpans : parsed.request().getResourceSpansList()) {
      Attributes resource = ProtoSpans.attributes(resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scope = scopeSpans.getScope().getName();
        for (Span span : scopeSpans.getSpansList()) {
          List<String> defaulted = new ArrayList<>(0);
          add(ProtoSpans.span(span, resource, scope, number, defaulted), number, defaulted);
        }
      }
    }
  }

  /** Adds a span unless it was read before; {@code defaulted} has what its reading defaulted. */
  private void add(TraceSpan span, int number, List<String> defaulted) {
    String key = SpanGraph.key(span.traceId(), span.spanId());
    TraceSpan first = seen.putIfAbsent(key, span);
    if (first != null) {
      dropped++;
      problems.add(
          new Problem(
              file,
              number,
              "span '"
                  + span.name()
                  + "' "
                  + key
                  + " already read on line "
                  + first.line()
                  + "; ignored"));
      return;
    }
    ToolSpanReader.Reading reading =
        ToolSpanReader.read(
            span.traceId(),
            span.spanId(),
            span.name(),
            span.startEpochNanos(),
            span.endEpochNanos(),
            span.statusCode() == StatusCode.ERROR,
            span.attributes());
    ExecutionRecord record = reading.record();
    if (record != null) {
      records.add(record);
      defaulted.addAll(reading.defaulted());
    } else {
      skipped++;
      if (ToolSpanReader.isToolSpan(span.name(), span.attributes())) {
        unreadableToolSpans++;
        problems.add(new Problem(file, number, "tool span skipped: " + reading.skipReason()));
      }
    }
    if (!defaulted.isEmpty()) {
      defaultedSpans++;
      defaulted.forEach(field -> defaultedFields.merge(field, 1, Integer::sum));
    }
    spans.add(span.withRecord(record));
  }

  TraceFile finish() {
    ReadCounts counts =
        new ReadCounts(
            lines,
            malformedLines,
            spans.size(),
            records.size(),
            skipped,
            unreadableToolSpans,
            dropped,
            defaultedSpans,
            defaultedFields,
            truncatedLines);
    return new TraceFile(file, records, SpanGraph.of(spans), counts, problems, warnings);
  }
}
