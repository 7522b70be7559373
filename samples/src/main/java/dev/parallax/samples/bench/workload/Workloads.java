package dev.parallax.samples.bench.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The workloads of {@code parallax bench}, in the order they run. */
public final class Workloads {

  private static final List<BenchWorkload> ALL =
      List.of(
          new OverheadWorkload(),
          new SeedWorkload(),
          new GraphsWorkload(),
          new CapacityWorkload(),
          new FlakyWorkload(),
          new HedgingWorkload(),
          new LearningWorkload(),
          new MultitenantWorkload(),
          new PreloadWorkload(),
          new ClusterWorkload());

  private Workloads() {}

  /** Every workload, in run order. */
  public static List<BenchWorkload> all() {
    return ALL;
  }

  /** The names of every workload, in run order. */
  public static List<String> names() {
    return ALL.stream().map(BenchWorkload::name).toList();
  }

  /**
   * The workloads named, in run order and each once; all of them when {@code names} is empty.
   *
   * @throws IllegalArgumentException naming the first unknown workload and the known ones
   */
  public static List<BenchWorkload> select(List<String> names) {
    if (names.isEmpty()) {
      return ALL;
    }
    Map<String, BenchWorkload> byName = new LinkedHashMap<>();
    ALL.forEach(w -> byName.put(w.name(), w));
    List<String> wanted = new ArrayList<>();
    for (String name : names) {
      String trimmed = name.trim();
      if (!byName.containsKey(trimmed)) {
        throw new IllegalArgumentException(
            "unknown workload '" + name + "' (known: " + String.join(", ", names()) + ")");
      }
      wanted.add(trimmed);
    }
    return ALL.stream().filter(w -> wanted.contains(w.name())).toList();
  }
}
