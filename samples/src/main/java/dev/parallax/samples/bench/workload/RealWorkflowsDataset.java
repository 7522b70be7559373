package dev.parallax.samples.bench.workload;

import dev.parallax.analysis.AnalysisListener;
import dev.parallax.analysis.LeaveOneInstanceOut;
import dev.parallax.analysis.LoioEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The {@code learning} workload's dataset {@code real}: the committed WfInstances executions
 * ({@code examples/workflows/real/<application>/*.json}), evaluated leave-one-instance-out per
 * application with only pre-call features ({@link LeaveOneInstanceOut}, 4 slots).
 */
/*
 * Fields: mae_log_latency.{model, per_tool_mean} and model_used_share are averages over the
 * applications of each application's instance average (every application weighs the same, every
 * instance the same within it); ratio is the average of the applications' average ratios, with a
 * stratified paired-bootstrap interval; per application the same and the makespan ratios. The data
 * are found at -Dparallax.realWorkflows=DIR, else at examples/workflows/real in the working
 * directory or one of its parents (the bench runs from a checkout); without them the dataset says
 * "skipped" and why. A reduced run (--quick) evaluates two small applications on four instances.
 */
final class RealWorkflowsDataset {

  /** System property naming the directory of the applications. */
  static final String PROPERTY = "parallax.realWorkflows";

  private static final Path RELATIVE = Path.of("examples", "workflows", "real");
  private static final List<String> QUICK_APPLICATIONS = List.of("bwa", "srasearch");
  private static final int QUICK_INSTANCES = 4;

  private RealWorkflowsDataset() {}

  /** The dataset's fields. */
  static Map<String, Object> fields(WorkloadContext context) {
    Map<String, Object> fields = new LinkedHashMap<>();
    Path root = locate();
    if (root == null) {
      fields.put(
          "skipped",
          "no "
              + RELATIVE
              + " in "
              + Path.of("").toAbsolutePath()
              + " or its parents; set -D"
              + PROPERTY
              + "=DIR");
      return fields;
    }
    boolean reduced = context.sizes().learningRecords() < Sizes.full().learningRecords();
    Map<String, List<Path>> apps = applications(root, reduced);
    ProgressListener progress = context.progress();
    progress.phase(
        "real workflows, leave one instance out",
        2L * apps.values().stream().mapToInt(List::size).sum());
    LeaveOneInstanceOut loio =
        LeaveOneInstanceOut.builder()
            .seed(context.seedFor("learning-real"))
            .listener(
                new AnalysisListener() {
                  private int last;

                  @Override
                  public void progress(int done, int total, String what) {
                    for (; last < done; last++) {
                      progress.step();
                    }
                    last = done == total ? 0 : last;
                  }
                })
            .build();
    List<LoioEvaluation> evaluations = new ArrayList<>();
    for (Map.Entry<String, List<Path>> app : apps.entrySet()) {
      evaluations.add(loio.evaluate(app.getKey(), app.getValue()));
    }
    double[] interval = loio.averageOverApplicationsInterval(evaluations);
    Map<String, Object> mae = new LinkedHashMap<>();
    mae.put("model", average(evaluations, LoioEvaluation::modelMae));
    mae.put("per_tool_mean", average(evaluations, LoioEvaluation::perToolMeanMae));
    fields.put("mae_log_latency", mae);
    fields.put("model_used_share", average(evaluations, LoioEvaluation::answeredByModel));
    fields.put("ratio", average(evaluations, LoioEvaluation::averageRatio));
    fields.put("ratio_interval", List.of(interval[0], interval[1]));
    fields.put("confidence", 0.95);
    fields.put("rows", evaluations.stream().mapToInt(LoioEvaluation::rows).sum());
    fields.put("instances", evaluations.stream().mapToInt(e -> e.instances().size()).sum());
    fields.put(
        "instances_worse_beyond_interval",
        evaluations.stream().mapToInt(LoioEvaluation::worseBeyondInterval).sum());
    fields.put("makespan_learned_over_fifo", average(evaluations, LoioEvaluation::makespanRatio));
    fields.put(
        "makespan_oracle_over_fifo", average(evaluations, LoioEvaluation::oracleMakespanRatio));
    fields.put("slots", 4);
    fields.put("features", "pre-call");
    fields.put("reduced", reduced);
    fields.put("source", "WfInstances (DOI 10.5281/zenodo.12510982), " + RELATIVE);
    Map<String, Object> perApp = new LinkedHashMap<>();
    for (LoioEvaluation e : evaluations) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("instances", e.instances().size());
      a.put("rows", e.rows());
      Map<String, Object> appMae = new LinkedHashMap<>();
      appMae.put("model", e.modelMae());
      appMae.put("per_tool_mean", e.perToolMeanMae());
      a.put("mae_log_latency", appMae);
      a.put("ratio", e.averageRatio());
      a.put("ratio_interval", List.of(e.averageRatioLow(), e.averageRatioHigh()));
      a.put("instances_worse_beyond_interval", e.worseBeyondInterval());
      a.put("model_used_share", e.answeredByModel());
      a.put("makespan_learned_over_fifo", e.makespanRatio());
      a.put("makespan_oracle_over_fifo", e.oracleMakespanRatio());
      perApp.put(e.application(), a);
    }
    fields.put("applications", perApp);
    return fields;
  }

  private static double average(
      List<LoioEvaluation> evaluations,
      java.util.function.ToDoubleFunction<LoioEvaluation> figure) {
    return evaluations.stream().mapToDouble(figure).average().orElse(Double.NaN);
  }

  /** Each application directory with its instances, in name order. */
  private static Map<String, List<Path>> applications(Path root, boolean reduced) {
    Map<String, List<Path>> apps = new LinkedHashMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        String name = dir.getFileName().toString();
        if (reduced && !QUICK_APPLICATIONS.contains(name)) {
          continue;
        }
        List<Path> instances = LeaveOneInstanceOut.instancesIn(dir);
        apps.put(
            name,
            reduced && instances.size() > QUICK_INSTANCES
                ? instances.subList(0, QUICK_INSTANCES)
                : instances);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + root, e);
    }
    return apps;
  }

  private static @Nullable Path locate() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
