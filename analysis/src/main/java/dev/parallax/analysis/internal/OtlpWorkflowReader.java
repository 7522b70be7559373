package dev.parallax.analysis.internal;

import dev.parallax.analysis.AnalysisException;
import dev.parallax.analysis.InputFormat;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.trace.ToolSpanAttributes;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import dev.parallax.telemetry.file.Problem;
import dev.parallax.telemetry.file.TraceFile;
import dev.parallax.telemetry.file.TraceFileReader;
import dev.parallax.telemetry.file.TraceRun;
import dev.parallax.telemetry.file.TraceSpan;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an OTLP-JSON trace file into a {@link TracedWorkflow}: each Parallax run in the file (see
 * telemetry's {@link TraceFileReader} for how calls are grouped into runs) becomes one workload
 * whose calls carry the recorded tool, features, duration and outcome, and whose dependencies come
 * from the {@code parallax.depends_on} attribute of the call spans. Calls that were skipped because
 * a dependency failed have no span and are not in the workload.
 *
 * <p>A last line cut short (no line end, JSON ending early: what a writer that crashed leaves) is
 * skipped, counted and reported as a warning; any other line that cannot be read is an error naming
 * the file and line.
 *
 * <p>A run's recorded makespan is its {@code parallax.run} span's duration, or from its first
 * call's start to its last call's end when the file lacks the run span. Stateless and thread-safe.
 * Internal; may change at any time.
 */
public final class OtlpWorkflowReader {

  private OtlpWorkflowReader() {}

  /**
   * Reads the trace file.
   *
   * @throws AnalysisException if the file cannot be read, has lines or spans that cannot be read,
   *     holds no tool calls, or a run's dependencies form a cycle
   */
  public static TracedWorkflow read(Path file) {
    JsonFiles.requireReadable(file);
    TraceFile trace;
    try {
      trace = TraceFileReader.read(file);
    } catch (UncheckedIOException e) {
      throw new AnalysisException(oneLine(String.valueOf(e.getMessage())), e);
    }
    List<Problem> problems = trace.problems();
    if (!problems.isEmpty()) {
      String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
      throw new AnalysisException(oneLine(problems.getFirst().toString()) + more);
    }
    List<Workload> runs = new ArrayList<>();
    Duration recorded = Duration.ZERO;
    int ignored = 0;
    ToolNames names = new ToolNames();
    for (TraceRun run : trace.runs()) {
      if (run.calls().isEmpty()) {
        continue;
      }
      Set<String> ids = new HashSet<>();
      run.records().stream().filter(r -> !r.neverStarted()).forEach(r -> ids.add(r.callId()));
      List<SimulatedCall> calls = new ArrayList<>(run.calls().size());
      for (TraceSpan span : run.calls()) {
        ExecutionRecord record = Objects.requireNonNull(span.record());
        if (record.neverStarted()) {
          continue; // a skipped or cancelled call's span: no task ran, no time to schedule
        }
        List<String> dependsOn = new ArrayList<>();
        List<String> listed = span.attributes().get(ToolSpanAttributes.DEPENDS_ON);
        for (String dependency : listed == null ? List.<String>of() : listed) {
          if (ids.contains(dependency)) {
            dependsOn.add(dependency);
          } else {
            ignored++;
          }
        }
        calls.add(
            new SimulatedCall(
                record.callId(),
                names.fit(record.tool()),
                record.features(),
                dependsOn,
                record.duration(),
                record.succeeded()));
      }
      String name = run.runId().isEmpty() ? file.getFileName() + "#" + runs.size() : run.runId();
      try {
        runs.add(new Workload(name, calls));
      } catch (IllegalArgumentException e) {
        throw new AnalysisException(file + ": run " + name + ": " + e.getMessage(), e);
      }
      recorded = recorded.plus(makespan(run));
    }
    if (runs.isEmpty()) {
      throw new AnalysisException(
          file + ": no tool-call spans (execute_tool) in this OTLP-JSON file");
    }
    List<String> notes = new ArrayList<>();
    if (runs.size() > 1) {
      notes.add(runs.size() + " runs, analysed one after another: figures are sums over runs");
    }
    if (ignored > 0) {
      notes.add(
          ignored + " dependencies on calls without a span in the file (skipped?) were ignored");
    }
    String renamed = names.note();
    if (renamed != null) {
      notes.add(renamed);
    }
    int truncated = trace.counts().truncatedLines();
    if (truncated > 0) {
      notes.add(truncated + " truncated last line (a writer that stopped mid-line?) was skipped");
    }
    List<String> warnings =
        trace.warnings().stream().map(w -> "warning: " + oneLine(w.toString())).toList();
    return TracedWorkflow.builder(file.toString(), InputFormat.OTLP)
        .runs(runs)
        .recordedMakespan(recorded)
        .notes(notes)
        .warnings(warnings)
        .truncatedLines(truncated)
        .build();
  }

  private static Duration makespan(TraceRun run) {
    TraceSpan span = run.span();
    if (span != null) {
      return Duration.ofNanos(span.endEpochNanos() - span.startEpochNanos());
    }
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (TraceSpan call : run.calls()) {
      start = Math.min(start, call.startEpochNanos());
      end = Math.max(end, call.endEpochNanos());
    }
    return Duration.ofNanos(end - start);
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
