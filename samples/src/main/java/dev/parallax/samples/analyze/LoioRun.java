package dev.parallax.samples.analyze;

import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.analysis.AnalysisListener;
import dev.parallax.analysis.FeatureSet;
import dev.parallax.analysis.LeaveOneInstanceOut;
import dev.parallax.analysis.LoioEvaluation;
import dev.parallax.analysis.MachineFeature;
import dev.parallax.samples.cli.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Groups the inputs of {@code parallax analyze --loio} into applications — a directory is one, its
 * {@code .json} files its instances; loose files are grouped by their directory — and evaluates
 * each with {@link LeaveOneInstanceOut}. Stateless.
 */
final class LoioRun {

  private LoioRun() {}

  /** The applications of {@code inputs}, by name, each with its instances, in input order. */
  static Map<String, List<Path>> applications(List<Path> inputs) {
    Map<String, List<Path>> apps = new LinkedHashMap<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        apps.computeIfAbsent(name(input), k -> new ArrayList<>())
            .addAll(LeaveOneInstanceOut.instancesIn(input));
      } else {
        Path dir = input.toAbsolutePath().getParent();
        apps.computeIfAbsent(dir == null ? "." : name(dir), k -> new ArrayList<>()).add(input);
      }
    }
    return apps;
  }

  private static String name(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return name == null ? dir.toString() : name.toString();
  }

  /**
   * Evaluates every application of {@code inputs}, drawing progress on {@code err} if asked; with
   * {@code storeNeighbours} above 0, also the store-backed neighbours with that k.
   */
  static List<LoioEvaluation> evaluate(
      List<Path> inputs,
      int slots,
      long seed,
      FeatureSet features,
      @Nullable LatencyModelType type,
      MachineFeature machine,
      boolean unseenValueRule,
      int storeNeighbours,
      boolean showProgress,
      PrintWriter err) {
    Map<String, List<Path>> apps = applications(inputs);
    ProgressBar bar = ProgressBar.of(err, "analyze --loio", showProgress);
    AnalysisListener listener =
        new AnalysisListener() {
          @Override
          public void progress(int done, int total, String what) {
            bar.show(done, total, what);
          }
        };
    LeaveOneInstanceOut.Builder builder =
        LeaveOneInstanceOut.builder()
            .slots(slots)
            .seed(seed)
            .features(features)
            .latencyModel(type)
            .machine(machine)
            .unseenValueRule(unseenValueRule)
            .listener(listener);
    if (storeNeighbours > 0) {
      builder.storeNeighbours(storeNeighbours);
    }
    LeaveOneInstanceOut loio = builder.build();
    List<LoioEvaluation> evaluations = new ArrayList<>(apps.size());
    try {
      for (Map.Entry<String, List<Path>> app : apps.entrySet()) {
        evaluations.add(loio.evaluate(app.getKey(), app.getValue()));
      }
    } finally {
      bar.finish();
    }
    return evaluations;
  }
}
