package dev.parallax.samples.bench.workload;

import dev.parallax.samples.bench.model.WorkloadResult;

/** One workload of {@code parallax bench}. Implementations are stateless. */
public interface BenchWorkload {

  /** The name, as on the command line and in the JSON. */
  String name();

  /** What it measures, in one line, for {@code --help}. */
  String description();

  /**
   * Runs every policy on the same calls and returns the figures.
   *
   * @throws RuntimeException if a run went wrong in a way that makes its figures meaningless
   */
  WorkloadResult run(WorkloadContext context);
}
