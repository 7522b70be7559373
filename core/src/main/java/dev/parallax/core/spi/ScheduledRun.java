package dev.parallax.core.spi;

import dev.parallax.core.call.ExecutionPlan;

/**
 * A run as a {@link RunScheduler} sees it when the run opens its share of the executor. Owned by
 * the executor; its values do not change. More properties may be added.
 */
public interface ScheduledRun {

  /** The run's id. */
  String runId();

  /** The run's priority, from {@link ExecutionPlan#withPriority} (default 0; higher first). */
  int priority();

  /** How the run's calls relate to each other. */
  ExecutionPlan.Mode mode();

  /** The most calls of this run that run at once (its own limit, before any shared one). */
  int maxConcurrency();

  /** How many calls the run has. */
  int calls();
}
