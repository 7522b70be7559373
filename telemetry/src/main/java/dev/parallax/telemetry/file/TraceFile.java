package dev.parallax.telemetry.file;

import dev.parallax.core.record.ExecutionRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What was read from a trace file: the tool-call records, the spans as a graph grouped into runs,
 * counts, and the problems met on the way. Immutable.
 *
 * @param path the file
 * @param records the tool-call records, in file order
 * @param graph every span read, with parent/child links and runs
 * @param counts how many lines, spans, records, skipped and defaulted spans were read
 * @param problems what could not be read, in file order; empty for a clean file
 * @param warnings what was skipped without being a problem: a last line cut short by a writer that
 *     stopped mid-line; empty for a clean file
 */
public record TraceFile(
    Path path,
    List<ExecutionRecord> records,
    SpanGraph graph,
    ReadCounts counts,
    List<Problem> problems,
    List<Problem> warnings) {

  /** Validates and copies. */
  public TraceFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(counts, "counts");
    records = List.copyOf(records);
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  /** A file read without warnings. */
  public TraceFile(
      Path path,
      List<ExecutionRecord> records,
      SpanGraph graph,
      ReadCounts counts,
      List<Problem> problems) {
    this(path, records, graph, counts, problems, List.of());
  }

  /** The runs, in start order: shorthand for {@code graph().runs()}. */
  public List<TraceRun> runs() {
    return graph.runs();
  }

  /**
   * Returns this if nothing went wrong reading the file.
   *
   * @throws TraceFileException if there are {@linkplain #problems() problems}
   */
  public TraceFile requireNoProblems() {
    if (!problems.isEmpty()) {
      throw new TraceFileException(problems);
    }
    return this;
  }
}
