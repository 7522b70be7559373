package dev.parallax.analysis;

import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One input file as the analysis sees it: its runs as simulator workloads (each task or call with
 * its tool, features, dependencies, recorded duration and outcome) and the recorded makespan.
 * Immutable and thread-safe. A {@link TraceReader} builds it; so may a reader of another format,
 * through {@link #builder}, for {@link Analyzer#analyzeWorkflows}.
 *
 * <p>A WfFormat instance is one run. An OTLP-JSON trace file holds one run per Parallax run found
 * in it; runs are taken to have happened one after another, so every figure of the file (recorded
 * and simulated makespans, critical path, lower bound) is the sum over its runs.
 */
public final class TracedWorkflow {

  private final String file;
  private final InputFormat format;
  private final List<Workload> runs;
  private final @Nullable Duration recordedMakespan;
  private final List<String> notes;
  private final List<String> warnings;
  private final int truncatedLines;

  private TracedWorkflow(Builder b) {
    this.file = b.file;
    this.format = b.format;
    this.runs = List.copyOf(b.runs);
    this.recordedMakespan = b.recordedMakespan;
    this.notes = List.copyOf(b.notes);
    this.warnings = List.copyOf(b.warnings);
    this.truncatedLines = b.truncatedLines;
  }

  /**
   * A builder of the workflow read from {@code file} in {@code format}: no runs yet (at least one
   * is needed), recorded makespan unknown, no notes, no warnings, no truncated lines.
   *
   * @param file the file as given (its path as a string)
   * @param format what it was read as
   */
  public static Builder builder(String file, InputFormat format) {
    return new Builder(file, format);
  }

  /** The file as given (its path as a string). */
  public String file() {
    return file;
  }

  /** What it was read as. */
  public InputFormat format() {
    return format;
  }

  /** Its runs, in start order, at least one. */
  public List<Workload> runs() {
    return runs;
  }

  /**
   * How long the recorded execution took, summed over runs, or {@code null} when the file does not
   * tell.
   */
  public @Nullable Duration recordedMakespan() {
    return recordedMakespan;
  }

  /** What the reader had to leave out or assume, for the report; usually empty. */
  public List<String> notes() {
    return notes;
  }

  /**
   * Lines for the terminal about what was skipped, each naming the file and line (a trace file's
   * last line cut short by a writer that crashed); usually empty.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** How many lines were skipped as cut short (0 or 1). */
  public int truncatedLines() {
    return truncatedLines;
  }

  /** Every task of every run, in run order then file order. */
  public List<SimulatedCall> tasks() {
    List<SimulatedCall> all = new ArrayList<>();
    runs.forEach(run -> all.addAll(run.calls()));
    return all;
  }

  /** The number of tasks. */
  public int size() {
    return runs.stream().mapToInt(Workload::size).sum();
  }

  /** The sum over runs of {@code figure}. */
  public Duration sum(Function<Workload, Duration> figure) {
    Duration total = Duration.ZERO;
    for (Workload run : runs) {
      total = total.plus(figure.apply(run));
    }
    return total;
  }

  @Override
  public String toString() {
    return "TracedWorkflow["
        + file
        + " ("
        + format.label()
        + "), "
        + runs.size()
        + " runs, "
        + size()
        + " tasks]";
  }

  /** Builds a {@link TracedWorkflow}. Not thread-safe. */
  public static final class Builder {

    private final String file;
    private final InputFormat format;
    private List<Workload> runs = List.of();
    private @Nullable Duration recordedMakespan;
    private List<String> notes = List.of();
    private List<String> warnings = List.of();
    private int truncatedLines;

    private Builder(String file, InputFormat format) {
      this.file = Objects.requireNonNull(file, "file");
      this.format = Objects.requireNonNull(format, "format");
    }

    /** Its runs, in start order (copied). */
    public Builder runs(List<Workload> runs) {
      this.runs = List.copyOf(runs);
      return this;
    }

    /** How long the recorded execution took, summed over runs; {@code null} if unknown. */
    public Builder recordedMakespan(@Nullable Duration recordedMakespan) {
      this.recordedMakespan = recordedMakespan;
      return this;
    }

    /** What the reader had to leave out or assume, for the report (copied). */
    public Builder notes(List<String> notes) {
      this.notes = List.copyOf(notes);
      return this;
    }

    /** Lines for the terminal about what was skipped (copied). */
    public Builder warnings(List<String> warnings) {
      this.warnings = List.copyOf(warnings);
      return this;
    }

    /**
     * How many lines were skipped as cut short.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder truncatedLines(int truncatedLines) {
      if (truncatedLines < 0) {
        throw new IllegalArgumentException(
            "truncatedLines must not be negative, was " + truncatedLines);
      }
      this.truncatedLines = truncatedLines;
      return this;
    }

    /**
     * The workflow.
     *
     * @throws IllegalArgumentException if it has no run
     */
    public TracedWorkflow build() {
      if (runs.isEmpty()) {
        throw new IllegalArgumentException(file + ": no runs");
      }
      return new TracedWorkflow(this);
    }
  }
}
