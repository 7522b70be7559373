package dev.parallax.analysis;

import dev.parallax.analysis.internal.WorkflowFeatures;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which recorded features the latency model may learn from and predict with.
 *
 * <p>A scheduler asks for a prediction before a task starts, so only what is known then is fair:
 * the tool, the input files and their sizes, the declared outputs, the graph (parents, children),
 * the cores asked for, the command-line arguments, and the machine the workflow's scheduler placed
 * the task on (a one-hot categorical {@code machine=NODE}: known when the task is dispatched, not
 * when it is submitted; {@link LeaveOneInstanceOut.Builder#machineFeature} leaves it out). A
 * WfFormat instance also records what was measured as the task ran — bytes read and written, the
 * sizes of the outputs it produced — and a model that learns from those knows part of the answer.
 * {@link #PRE_CALL}, the default, leaves them out; {@link #ALL} keeps them, and every report made
 * with it says so.
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
            + " outputs, parents, children, cores, numeric arguments, machine)"
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
    return WorkflowFeatures.without(workflow, POST_HOC::contains);
  }
}
