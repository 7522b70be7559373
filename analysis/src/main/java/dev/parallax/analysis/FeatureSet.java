package dev.parallax.analysis;

import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which recorded features the latency model may learn from and predict with.
 *
 * <p>A scheduler asks for a prediction before a task starts, so only what is known then is fair:
 * the tool, the input files and their sizes, the declared outputs, the graph (parents, children),
 * the cores asked for, the command-line arguments. A WfFormat instance also records what was
 * measured as the task ran — bytes read and written, the sizes of the outputs it produced — and a
 * model that learns from those knows part of the answer. {@link #PRE_CALL}, the default, leaves
 * them out; {@link #ALL} keeps them, and every report made with it says so.
 *
 * <p>Features of OTLP-JSON traces ({@code parallax.feature.*} span attributes) are the features a
 * call was submitted with, known before it ran, and are kept under both sets.
 */
public enum FeatureSet {
  /** Only features known before a task starts (the default). */
  PRE_CALL,
  /** Also the post-hoc features, measured as a task runs ({@link #postHocFeatures()}). */
  ALL;

  private static final Set<String> POST_HOC = Set.of("read_bytes", "written_bytes", "output_bytes");

  /** The name used on the command line and in reports: {@code pre-call} or {@code all}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** One line for a report: which features the model used. */
  public String description() {
    return this == PRE_CALL
        ? "only features known before a task starts (tool, input files and sizes, declared"
            + " outputs, parents, children, cores, numeric arguments)"
        : "ALL features, including POST-HOC ones measured as a task runs ("
            + String.join(", ", postHocFeatures())
            + "): the model knows part of the answer";
  }

  /**
   * The names of the WfFormat features measured as a task runs: {@code output_bytes}, {@code
   * read_bytes}, {@code written_bytes}.
   */
  public static List<String> postHocFeatures() {
    return POST_HOC.stream().sorted().toList();
  }

  /**
   * {@code workflow} with, under {@link #PRE_CALL}, the post-hoc features removed from every task
   * of a WfFormat instance; {@code workflow} itself otherwise.
   */
  public TracedWorkflow apply(TracedWorkflow workflow) {
    if (this == ALL || workflow.format() != InputFormat.WFFORMAT) {
      return workflow;
    }
    List<Workload> runs = new ArrayList<>(workflow.runs().size());
    for (Workload run : workflow.runs()) {
      List<SimulatedCall> calls = new ArrayList<>(run.calls().size());
      for (SimulatedCall c : run.calls()) {
        calls.add(
            new SimulatedCall(
                c.id(),
                c.tool(),
                preCall(c.features()),
                c.dependsOn(),
                c.duration(),
                c.succeeds()));
      }
      runs.add(new Workload(run.name(), calls));
    }
    return TracedWorkflow.builder(workflow.file(), workflow.format())
        .runs(runs)
        .recordedMakespan(workflow.recordedMakespan())
        .notes(workflow.notes())
        .warnings(workflow.warnings())
        .truncatedLines(workflow.truncatedLines())
        .build();
  }

  private static Map<String, Double> preCall(Map<String, Double> features) {
    Map<String, Double> kept = new TreeMap<>(features);
    kept.keySet().removeAll(POST_HOC);
    return kept;
  }
}
