package dev.parallax.analysis;

import dev.parallax.analysis.internal.WorkflowInputs;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link TraceReader}s, one per {@link InputFormat}, and detection of a file's format from its
 * content. Stateless and thread-safe.
 *
 * <pre>{@code
 * TracedWorkflow trace = TraceReaders.read(Path.of("runs.jsonl"));   // format told from content
 * TracedWorkflow wf = TraceReaders.wfFormat().read(Path.of("montage.json"));
 * }</pre>
 */
public final class TraceReaders {

  private static final TraceReader OTLP = new FormatReader(InputFormat.OTLP);
  private static final TraceReader WFFORMAT = new FormatReader(InputFormat.WFFORMAT);

  private TraceReaders() {}

  /**
   * The reader of OTLP-JSON trace files (one {@code ExportTraceServiceRequest} per line, as
   * Parallax's trace exporter writes them). Each Parallax run in a file becomes one {@link
   * dev.parallax.planner.sim.Workload}, its graph rebuilt from the {@code parallax.depends_on} span
   * attribute; a last line cut short is skipped with a warning. Reading needs {@code
   * parallax-telemetry} on the class path (or module {@code dev.parallax.telemetry} resolved);
   * without it {@link TraceReader#read} throws an {@link AnalysisException} that says so.
   */
  public static TraceReader otlp() {
    return OTLP;
  }

  /**
   * The reader of WfCommons WfFormat instances (schema 1.5 and 1.6; 1.4 and older): a task's tool
   * is its {@code command.program}, its dependencies the union of its parents and of the tasks that
   * list it as a child.
   */
  public static TraceReader wfFormat() {
    return WFFORMAT;
  }

  /** The reader of {@code format}. */
  public static TraceReader of(InputFormat format) {
    return switch (Objects.requireNonNull(format, "format")) {
      case OTLP -> OTLP;
      case WFFORMAT -> WFFORMAT;
    };
  }

  /**
   * The reader for {@code file}, told from its first JSON value: an object with {@code workflow} is
   * WfFormat; one with {@code resourceSpans} (or a line of {@code scopeSpans}) is OTLP-JSON.
   *
   * @throws AnalysisException if the file is missing, unreadable, empty, not JSON or of neither
   *     shape
   */
  public static TraceReader detect(Path file) {
    return of(WorkflowInputs.detect(file));
  }

  /**
   * Reads {@code file} in the format its content shows (see {@link #detect}), parsing a WfFormat
   * instance once.
   *
   * @throws AnalysisException if the file cannot be read or analysed
   */
  public static TracedWorkflow read(Path file) {
    return WorkflowInputs.read(file, null);
  }

  private record FormatReader(InputFormat format) implements TraceReader {
    @Override
    public TracedWorkflow read(Path file) {
      return WorkflowInputs.read(Objects.requireNonNull(file, "file"), format);
    }

    @Override
    public String toString() {
      return "TraceReader[" + format.label() + "]";
    }
  }
}
