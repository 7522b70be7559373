package dev.parallax.telemetry.file;

import java.util.Map;
import java.util.TreeMap;

/**
 * What reading a trace file found. Every span read is either a tool record or skipped: {@code spans
 * == toolRecords + skippedSpans}. Spans that could not be read at all are not among {@code spans};
 * they are counted in {@code droppedSpans} and explained in the {@linkplain Problem problems}.
 *
 * @param lines non-blank lines
 * @param malformedLines lines that could not be read at all
 * @param spans spans read
 * @param toolRecords spans read as {@link dev.parallax.core.record.ExecutionRecord}s
 * @param skippedSpans spans read that are not tool calls, or tool spans without a usable tool name
 *     or time span
 * @param unreadableToolSpans of the skipped spans, the tool spans (each also a problem)
 * @param droppedSpans spans left out: unreadable ids, or the same span again
 * @param defaultedSpans spans read with at least one missing or unknown value replaced by a default
 * @param defaultedFields how often each field got a default: attribute names such as {@code
 *     gen_ai.tool.call.id}, and {@code kind} or {@code status.code} for unknown enum values
 * @param truncatedLines 1 when the file's last line was cut short (no line end, JSON ending early:
 *     what a writer that crashed leaves) and skipped with a warning, else 0; not among {@code
 *     malformedLines}
 */
public record ReadCounts(
    int lines,
    int malformedLines,
    int spans,
    int toolRecords,
    int skippedSpans,
    int unreadableToolSpans,
    int droppedSpans,
    int defaultedSpans,
    Map<String, Integer> defaultedFields,
    int truncatedLines) {

  /** Copies; the fields map is sorted by name. */
  public ReadCounts {
    defaultedFields = java.util.Collections.unmodifiableMap(new TreeMap<>(defaultedFields));
  }

  /** Counts of a file whose last line was not cut short. */
  public ReadCounts(
      int lines,
      int malformedLines,
      int spans,
      int toolRecords,
      int skippedSpans,
      int unreadableToolSpans,
      int droppedSpans,
      int defaultedSpans,
      Map<String, Integer> defaultedFields) {
    this(
        lines,
        malformedLines,
        spans,
        toolRecords,
        skippedSpans,
        unreadableToolSpans,
        droppedSpans,
        defaultedSpans,
        defaultedFields,
        0);
  }
}
