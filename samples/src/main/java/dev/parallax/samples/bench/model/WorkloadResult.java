package dev.parallax.samples.bench.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one workload measured.
 *
 * @param name the workload's name, as in the JSON contract
 * @param policies the figures of each policy, in the order they ran
 * @param fields the workload's own fields (numbers, strings, booleans, and maps or lists of them),
 *     written into the JSON next to {@code policies}
 * @param charts charts for the HTML report, beyond the makespan bar chart drawn for every workload
 */
public record WorkloadResult(
    String name,
    Map<String, PolicyFigures> policies,
    Map<String, Object> fields,
    List<Chart> charts) {

  /** Copies, keeping the order of the maps. */
  public WorkloadResult {
    Objects.requireNonNull(name, "name");
    policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    charts = List.copyOf(charts);
  }
}
