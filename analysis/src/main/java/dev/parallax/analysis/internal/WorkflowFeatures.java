package dev.parallax.analysis.internal;

import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Removes features from every task of a workflow. Stateless. Internal; may change at any time. */
public final class WorkflowFeatures {

  private WorkflowFeatures() {}

  /** {@code workflow} with the features whose names match {@code drop} removed from every task. */
  public static TracedWorkflow without(TracedWorkflow workflow, Predicate<String> drop) {
    List<Workload> runs = new ArrayList<>(workflow.runs().size());
    for (Workload run : workflow.runs()) {
      List<SimulatedCall> calls = new ArrayList<>(run.calls().size());
      for (SimulatedCall c : run.calls()) {
        Map<String, Double> kept = new TreeMap<>(c.features());
        kept.keySet().removeIf(drop);
        calls.add(
            new SimulatedCall(c.id(), c.tool(), kept, c.dependsOn(), c.duration(), c.succeeds()));
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
}
