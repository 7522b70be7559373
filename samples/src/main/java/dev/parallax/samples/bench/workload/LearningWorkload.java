package dev.parallax.samples.bench.workload;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.Auc;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.SimulationResult;
import dev.parallax.planner.sim.Simulator;
import dev.parallax.planner.sim.Workload;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.DatasetFigures;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.Stats;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well the adaptive predictor learns latency and failure that depend on a call's input, against
 * a per-tool moving average, on data built not to suit it; and what the better estimates buy when
 * they order work.
 */
/*
 * Four parts, on calls drawn by LearningData:
 *
 * 1. Datasets (JSON `datasets.{in_class,nonlinear,drift,noise}`, DatasetFigures). For each family,
 *    records stream in; each is predicted before it is learnt, by the model (an AdaptivePredictor
 *    retrained after every block, whose gate decides per tool whether its model answers) and by
 *    the moving average (an AdaptivePredictor fed the same records, never retrained). The scored
 *    records are the second half of the stream; for `drift` the regime changes at its first record,
 *    so the figure includes the time the model needs to follow. `records_to_follow`: records after
 *    the change until the model's mean error over the next 200 records is at most 1.25× its error
 *    over the 500 records before the change (checked every 50 records; -1 if never).
 * 2. Error over time: the mean error per block of `nonlinear` and `drift`, model against average.
 * 3. Policies: held-out calls of `nonlinear`, in batches of independent calls on a few slots, run
 *    in the simulator ordered FIFO, by the moving average, by the model, and by an oracle.
 * 4. Success: the AUC of the predicted success probability on held-out calls whose failure depends
 *    on the input outside the logistic model's class, next to the no-skill 0.5.
 */
final class LearningWorkload implements BenchWorkload {

  private static final int BATCH = 40;
  private static final int SLOTS = 4;
  private static final int FOLLOW_WINDOW = 200;
  private static final int FOLLOW_STEP = 50;
  private static final int STEADY_RECORDS = 500;
  private static final double FOLLOW_FACTOR = 1.25;

  @Override
  public String name() {
    return "learning";
  }

  @Override
  public String description() {
    return "latency models vs a moving average on nonlinear, drifting and noise data; AUC";
  }

  /** One dataset's stream, predicted then learnt. */
  private record Streamed(
      double[] modelErrors,
      double[] ewmaErrors,
      boolean[] answered,
      List<Chart.Point> modelCurve,
      List<Chart.Point> ewmaCurve,
      List<Object> curveField,
      AdaptivePredictor model,
      AdaptivePredictor ewma) {}

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    ProgressListener progress = context.progress();
    int n = sizes.learningRecords();
    int half = n / 2;
    int blocks = n / sizes.learningBlock();
    progress.phase(
        "4 datasets: streaming records, retraining after each block",
        (long) blocks * LearningData.Family.values().length);
    Map<String, Object> datasets = new LinkedHashMap<>();
    Map<String, Object> compact = new LinkedHashMap<>();
    List<Chart> charts = new ArrayList<>();
    Streamed nonlinear = null;
    for (LearningData.Family family : LearningData.Family.values()) {
      String name = family.name().toLowerCase(Locale.ROOT);
      List<ExecutionRecord> stream =
          LearningData.latency(family, n, context.seedFor("learning-" + name), 0, half);
      Streamed s =
          stream(stream, sizes.learningBlock(), context.seedFor("learning-model"), progress);
      Map<String, Object> extra = new LinkedHashMap<>();
      if (family == LearningData.Family.DRIFT) {
        extra.put("change_at_record", half);
        extra.put("records_to_follow", recordsToFollow(s.modelErrors(), half));
        extra.put(
            "follow_rule",
            "records after the change until the model's mean error over the next "
                + FOLLOW_WINDOW
                + " records is at most "
                + FOLLOW_FACTOR
                + "x its error over the "
                + STEADY_RECORDS
                + " records before it");
      }
      extra.put("last_training", ModelReports.fields(s.model().report()));
      DatasetFigures figures =
          DatasetFigures.of(
              family.description,
              Arrays.copyOfRange(s.modelErrors(), half, n),
              Arrays.copyOfRange(s.ewmaErrors(), half, n),
              Arrays.copyOfRange(s.answered(), half, n),
              context.seedFor("learning-gain-" + name),
              extra);
      datasets.put(name, figures.fields());
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("model", figures.maeModel());
      line.put("per_tool_mean", figures.maePerToolMean());
      line.put("ratio", figures.gain().toString());
      line.put("model_used_share", figures.modelUsedShare());
      if (family == LearningData.Family.DRIFT) {
        line.put("records_to_follow", extra.get("records_to_follow"));
      }
      compact.put(name, line);
      if (family == LearningData.Family.NONLINEAR || family == LearningData.Family.DRIFT) {
        charts.add(
            new Chart.Lines(
                "learning ("
                    + name
                    + "): prediction error over time (MAE of log latency on the next "
                    + sizes.learningBlock()
                    + " calls"
                    + (family == LearningData.Family.DRIFT ? "; regime change at " + half : "")
                    + ")",
                "records learnt",
                "MAE of ln(latency)",
                List.of(
                    new Chart.Series("model", s.modelCurve()),
                    new Chart.Series("moving average", s.ewmaCurve()))));
      }
      if (family == LearningData.Family.NONLINEAR) {
        nonlinear = s;
      }
    }

    List<ExecutionRecord> heldOut =
        LearningData.latency(
            LearningData.Family.NONLINEAR,
            sizes.learningHeldOut(),
            context.seedFor("learning-held-out"),
            n,
            0);
    Map<String, PolicyFigures> policies =
        schedule(heldOut, nonlinear.model(), nonlinear.ewma(), progress);

    progress.phase("success AUC", 1);
    double[] auc = successAuc(sizes, context);
    progress.step();

    // real workflow executions (WfInstances), leave-one-instance-out: see RealWorkflowsDataset
    datasets.put("real", RealWorkflowsDataset.fields(context));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("datasets", datasets);
    fields.put("latency_vs_per_tool_mean", compact);
    fields.put("auc_success", auc[0]);
    Map<String, Object> aucFields = new LinkedHashMap<>();
    aucFields.put("model", auc[0]);
    aucFields.put("no_skill_baseline", 0.5);
    aucFields.put("moving_average", auc[1]);
    aucFields.put("held_out_records", sizes.learningHeldOut());
    fields.put("auc", aucFields);
    fields.put("records", n);
    fields.put("scored_from_record", half);
    fields.put("held_out_records", sizes.learningHeldOut());
    fields.put("retrain_every", sizes.learningBlock());
    fields.put("mae_over_time_columns", List.of("records_seen", "model", "ewma"));
    fields.put("mae_over_time", nonlinear.curveField());
    fields.put("batch_calls", BATCH);
    fields.put("batch_slots", SLOTS);
    return new WorkloadResult(name(), policies, fields, charts);
  }

  /** Streams the records block by block: predict each, learn it, retrain the model per block. */
  private static Streamed stream(
      List<ExecutionRecord> records, int block, long seed, ProgressListener progress) {
    AdaptivePredictor model = predictor(seed);
    AdaptivePredictor ewma = predictor(seed);
    int n = records.size();
    double[] modelErrors = new double[n];
    double[] ewmaErrors = new double[n];
    boolean[] answered = new boolean[n];
    List<Chart.Point> modelCurve = new ArrayList<>();
    List<Chart.Point> ewmaCurve = new ArrayList<>();
    List<Object> curveField = new ArrayList<>();
    for (int start = 0; start + block <= n; start += block) {
      double m = 0;
      double e = 0;
      for (int i = start; i < start + block; i++) {
        ExecutionRecord r = records.get(i);
        double actual = logSeconds(r.duration().toNanos());
        CallFeatures features = CallFeatures.of(r);
        Prediction p = model.predict(features);
        modelErrors[i] = Math.abs(actual - logSeconds(p.latency().toNanos()));
        ewmaErrors[i] = Math.abs(actual - logSeconds(ewma.predict(features).latency().toNanos()));
        answered[i] = p.source().startsWith(AdaptivePredictor.MODEL);
        m += modelErrors[i];
        e += ewmaErrors[i];
        model.accept(r);
        ewma.accept(r);
      }
      modelCurve.add(new Chart.Point(start, m / block));
      ewmaCurve.add(new Chart.Point(start, e / block));
      curveField.add(List.of(start, m / block, e / block));
      model.retrain();
      progress.step();
    }
    return new Streamed(
        modelErrors, ewmaErrors, answered, modelCurve, ewmaCurve, curveField, model, ewma);
  }

  /** See the class comment; -1 if the model never got back. */
  static int recordsToFollow(double[] modelErrors, int change) {
    int from = Math.max(0, change - STEADY_RECORDS);
    if (change - from < FOLLOW_STEP) {
      return -1;
    }
    double steady = mean(modelErrors, from, change);
    for (int k = 0; change + k + FOLLOW_WINDOW <= modelErrors.length; k += FOLLOW_STEP) {
      if (mean(modelErrors, change + k, change + k + FOLLOW_WINDOW) <= FOLLOW_FACTOR * steady) {
        return k;
      }
    }
    return -1;
  }

  private static double mean(double[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    return s / (to - from);
  }

  /** The held-out calls in batches, run by each policy in the simulator. */
  private static Map<String, PolicyFigures> schedule(
      List<ExecutionRecord> heldOut,
      AdaptivePredictor model,
      AdaptivePredictor ewma,
      ProgressListener progress) {
    Map<String, SchedulingPolicy> schedulers = new LinkedHashMap<>();
    schedulers.put("fifo", SchedulingPolicy.fifo());
    schedulers.put("ewma", CriticalPathScheduling.using(ewma));
    schedulers.put("model", CriticalPathScheduling.using(model));
    schedulers.put("oracle", CriticalPathScheduling.using(Simulator.oracle()));
    List<Workload> batches = new ArrayList<>();
    for (int start = 0; start < heldOut.size(); start += BATCH) {
      List<SimulatedCall> calls = new ArrayList<>();
      for (ExecutionRecord r : heldOut.subList(start, Math.min(heldOut.size(), start + BATCH))) {
        calls.add(
            new SimulatedCall(r.callId(), r.tool(), r.features(), List.of(), r.duration(), true));
      }
      batches.add(new Workload("batch" + start / BATCH, calls));
    }
    progress.phase("scheduling held-out batches", (long) batches.size() * schedulers.size());
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    for (var e : schedulers.entrySet()) {
      double makespan = 0;
      double lowerBound = 0;
      long calls = 0;
      long succeeded = 0;
      long attempts = 0;
      long hits = 0;
      double[] batchMakespans = new double[batches.size()];
      try (Simulator sim = Simulator.builder().slots(SLOTS).scheduling(e.getValue()).build()) {
        for (int i = 0; i < batches.size(); i++) {
          SimulationResult r = sim.run(batches.get(i));
          batchMakespans[i] = Durations.millis(r.makespan());
          makespan += batchMakespans[i];
          lowerBound += Durations.millis(r.lowerBound());
          for (CallResult<?> c : r.run().results()) {
            calls++;
            succeeded += c.isSuccess() ? 1 : 0;
            attempts += c.attempts();
            hits += c.cacheHit() ? 1 : 0;
          }
          progress.step();
        }
      }
      policies.put(
          e.getKey(),
          PolicyFigures.builder()
              .makespanMs(makespan)
              .lowerBoundMs(lowerBound)
              .successRate((double) succeeded / calls)
              .p95Ms(Stats.percentile(batchMakespans, 95))
              .toolExecutions(attempts)
              .cacheHits(hits)
              .throughputPerS(succeeded / (makespan / 1000))
              .build());
    }
    return policies;
  }

  /** AUC of the predicted success probability on held-out calls: model, then moving average. */
  private static double[] successAuc(Sizes sizes, WorkloadContext context) {
    AdaptivePredictor predictor = predictor(context.seedFor("learning-success-model"));
    AdaptivePredictor baseline = predictor(context.seedFor("learning-success-model"));
    for (ExecutionRecord r :
        LearningData.failure(sizes.learningRecords(), context.seedFor("learning-failures"), 0)) {
      predictor.accept(r);
      baseline.accept(r);
    }
    predictor.retrain();
    List<ExecutionRecord> heldOut =
        LearningData.failure(
            sizes.learningHeldOut(),
            context.seedFor("learning-failures-held-out"),
            sizes.learningRecords());
    double[] model = new double[heldOut.size()];
    double[] ewma = new double[heldOut.size()];
    boolean[] ok = new boolean[heldOut.size()];
    for (int i = 0; i < heldOut.size(); i++) {
      CallFeatures features = CallFeatures.of(heldOut.get(i));
      model[i] = predictor.predict(features).successProbability();
      Prediction p = baseline.predict(features);
      ewma[i] = p.successProbability();
      ok[i] = heldOut.get(i).succeeded();
    }
    return new double[] {Auc.of(model, ok), Auc.of(ewma, ok)};
  }

  private static AdaptivePredictor predictor(long seed) {
    return AdaptivePredictor.builder()
        .retrainEvery(Integer.MAX_VALUE)
        .trainingExecutor(Runnable::run)
        .seed(seed)
        .build();
  }

  private static double logSeconds(long nanos) {
    return Math.log(Math.max(1, nanos) / 1e9);
  }
}
