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
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.Stats;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well the adaptive predictor learns latency and failure that depend on a call's input, against
 * a per-tool moving average; and what the better estimates buy when they order work.
 */
/*
 * Three parts, each on calls drawn from the seed (LearningData):
 *
 * 1. Error over time. Records stream in; each is predicted before it is learnt, by the model (an
 *    AdaptivePredictor retrained after every block) and by the moving average (an AdaptivePredictor
 *    fed the same records but never retrained, so it answers from its per-tool baseline). The mean
 *    absolute error of log latency over each block is one point of the curve. Before the first
 *    training the model falls back to the baseline, so both curves start together.
 * 2. Held-out figures, as in adaptive's ModelQualityTest: on new calls, MAE of log latency of the
 *    trained model against the moving average (which keeps learning as it goes); and the AUC of the
 *    predicted success probability of a model trained on calls whose failure depends on size.
 * 3. Policies: the held-out calls, in batches of independent calls on a few slots, run in the
 *    simulator ordered FIFO, by the moving average, by the model, and by an oracle (longest first).
 *    This runs before part 2 so neither predictor has seen these calls.
 */
final class LearningWorkload implements BenchWorkload {

  private static final int BATCH = 40;
  private static final int SLOTS = 4;

  @Override
  public String name() {
    return "learning";
  }

  @Override
  public String description() {
    return "latency and success models vs a moving average: MAE, AUC";
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    ProgressListener progress = context.progress();
    long modelSeed = context.seedFor("learning-model");
    AdaptivePredictor model = predictor(modelSeed);
    AdaptivePredictor ewma = predictor(modelSeed);

    List<ExecutionRecord> stream =
        LearningData.latencyDependsOnSize(
            sizes.learningRecords(), context.seedFor("learning-stream"), 0);
    int blocks = sizes.learningRecords() / sizes.learningBlock();
    progress.phase("streaming records, retraining after each block", blocks);
    List<Chart.Point> modelCurve = new ArrayList<>();
    List<Chart.Point> ewmaCurve = new ArrayList<>();
    List<Object> curveField = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      List<ExecutionRecord> block =
          stream.subList(b * sizes.learningBlock(), (b + 1) * sizes.learningBlock());
      double[] mae = predictThenLearn(block, model, ewma);
      int seen = b * sizes.learningBlock();
      modelCurve.add(new Chart.Point(seen, mae[0]));
      ewmaCurve.add(new Chart.Point(seen, mae[1]));
      curveField.add(List.of(seen, mae[0], mae[1]));
      model.retrain();
      progress.step();
    }

    List<ExecutionRecord> heldOut =
        LearningData.latencyDependsOnSize(
            sizes.learningHeldOut(), context.seedFor("learning-held-out"), sizes.learningRecords());
    Map<String, PolicyFigures> policies = schedule(heldOut, model, ewma, progress);

    progress.phase("held-out errors and AUC", 2);
    double[] heldOutMae = predictThenLearn(heldOut, model, ewma);
    progress.step();
    double[] auc = successAuc(sizes, context);
    progress.step();

    Map<String, Object> mae = new LinkedHashMap<>();
    mae.put("model", heldOutMae[0]);
    mae.put("ewma", heldOutMae[1]);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("mae_log_latency", mae);
    fields.put("mae_reduction_vs_ewma", 1 - heldOutMae[0] / heldOutMae[1]);
    fields.put("auc_success", auc[0]);
    fields.put("auc_success_ewma", auc[1]);
    fields.put("records", sizes.learningRecords());
    fields.put("held_out_records", sizes.learningHeldOut());
    fields.put("retrain_every", sizes.learningBlock());
    fields.put("mae_over_time_columns", List.of("records_seen", "model", "ewma"));
    fields.put("mae_over_time", curveField);
    fields.put("model", ModelReports.fields(model.report()));
    fields.put("batch_calls", BATCH);
    fields.put("batch_slots", SLOTS);
    // issue 14: datasets not built for the model; "real" from RealWorkflowsDataset
    Map<String, Object> datasets = new LinkedHashMap<>();
    datasets.put("real", RealWorkflowsDataset.fields(context));
    fields.put("datasets", datasets);
    Chart.Lines curve =
        new Chart.Lines(
            "learning: prediction error over time (MAE of log latency on the next "
                + sizes.learningBlock()
                + " calls)",
            "records learnt",
            "MAE of ln(latency)",
            List.of(new Chart.Series("model", modelCurve), new Chart.Series("ewma", ewmaCurve)));
    return new WorkloadResult(name(), policies, fields, List.of(curve));
  }

  /**
   * Predicts each record with the model and the moving average, then lets both learn it (the model
   * is not retrained here; its baseline features move on).
   *
   * @return the mean absolute errors of log latency, model then moving average
   */
  private static double[] predictThenLearn(
      List<ExecutionRecord> records, AdaptivePredictor model, AdaptivePredictor ewma) {
    double maeModel = 0;
    double maeEwma = 0;
    for (ExecutionRecord r : records) {
      double actual = logSeconds(r.duration().toNanos());
      CallFeatures features = CallFeatures.of(r);
      maeModel += Math.abs(actual - logSeconds(model.predict(features).latency().toNanos()));
      maeEwma += Math.abs(actual - logSeconds(ewma.predict(features).latency().toNanos()));
      model.accept(r);
      ewma.accept(r);
    }
    return new double[] {maeModel / records.size(), maeEwma / records.size()};
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
        LearningData.failureDependsOnSize(
            sizes.learningRecords(), context.seedFor("learning-failures"), 0)) {
      predictor.accept(r);
      baseline.accept(r);
    }
    predictor.retrain();
    List<ExecutionRecord> heldOut =
        LearningData.failureDependsOnSize(
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
