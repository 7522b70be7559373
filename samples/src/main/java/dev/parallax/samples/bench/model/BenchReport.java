package dev.parallax.samples.bench.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one {@code parallax bench} run measured.
 *
 * @param seed the seed every random choice derives from
 * @param quick whether the sizes were shrunk for a smoke test
 * @param machine where it ran
 * @param workloads the results by workload name, in the order they ran
 * @param elapsedSeconds wall time spent on each workload
 */
public record BenchReport(
    long seed,
    boolean quick,
    Machine machine,
    Map<String, WorkloadResult> workloads,
    Map<String, Double> elapsedSeconds) {

  /** Copies, keeping the order of the maps. */
  public BenchReport {
    workloads = Collections.unmodifiableMap(new LinkedHashMap<>(workloads));
    elapsedSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(elapsedSeconds));
  }
}
