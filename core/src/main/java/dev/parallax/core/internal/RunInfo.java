package dev.parallax.core.internal;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.spi.ScheduledRun;

/** A run as a cross-run scheduler sees it. Internal; may change at any time. */
record RunInfo(String runId, int priority, ExecutionPlan.Mode mode, int maxConcurrency, int calls)
    implements ScheduledRun {

  static RunInfo of(String runId, ExecutionPlan plan, int maxConcurrency) {
    return new RunInfo(runId, plan.priority(), plan.mode(), maxConcurrency, plan.nodes().size());
  }
}
