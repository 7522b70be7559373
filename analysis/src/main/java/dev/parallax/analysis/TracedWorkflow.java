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
 *
 * <p>A WfFormat instance is one run. An OTLP-JSON trace file holds one run per Parallax run found
 * in it; runs are taken to have happened one after another, so every figure of the file (recorded
 * and simulated makespans, critical path, lower bound) is the sum over its runs.
 *
 * @param file the file as given (its path as a string)
 * @param format what it was read as
 * @param runs its runs, in start order, at least one
 * @param recordedMakespan how long the recorded execution took, summed over runs, or {@code null}
 *     when the file does not tell
 * @param notes what the reader had to leave out or assume, for the report; usually empty
 * @param warnings lines for the terminal about what was skipped, each naming the file and line (a
 *     trace file's last line cut short by a writer that crashed); usually empty
 * @param truncatedLines how many lines were skipped as cut short (0 or 1)
 */
public record TracedWorkflow(
    String file,
    InputFormat format,
    List<Workload> runs,
    @Nullable Duration recordedMakespan,
    List<String> notes,
    List<String> warnings,
    int truncatedLines) {

  /** Validates and copies. */
  public TracedWorkflow {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    runs = List.copyOf(runs);
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no runs");
    }
  }

  /** An input read whole: no warnings, no truncated lines. */
  public TracedWorkflow(
      String file,
      InputFormat format,
      List<Workload> runs,
      @Nullable Duration recordedMakespan,
      List<String> notes) {
    this(file, format, runs, recordedMakespan, notes, List.of(), 0);
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
}
