package dev.parallax.samples.bench.workload;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.planner.sim.HeterogeneousGraphs;
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
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Critical-path scheduling on heterogeneous graphs in virtual time: FIFO, priority by a per-tool
 * moving average, priority by the learned model, and priority by an oracle that knows every true
 * duration, on the same graphs and slot counts.
 */
/*
 * As in the planner's GraphSchedulingProofTest: the records of the training graphs, run FIFO on 8
 * slots, feed two predictors; one is retrained (learned), the other never is, so it answers from
 * its per-tool moving average only (ewma_priority). Each test graph gets a random slot count in
 * 2..16 and is run by every policy through the real executor in the simulator. Makespans and lower
 * bounds (max(critical path, work / slots)) are sums over the test graphs; p95_ms is the 95th
 * percentile of one graph's makespan. The Gantt charts show the first test graph of at most
 * GANTT_MAX_CALLS calls, as scheduled by each policy.
 */
final class GraphsWorkload implements BenchWorkload {

  private static final int TOOLS = 8;
  private static final int TRAINING_SLOTS = 8;
  private static final int MIN_SLOTS = 2;
  private static final int MAX_SLOTS = 16;
  private static final int GANTT_MAX_CALLS = 150;

  @Override
  public String name() {
    return "graphs";
  }

  @Override
  public String description() {
    return "critical-path scheduling of random graphs, simulated (4 policies)";
  }

  /** Sums over the test graphs for one policy. */
  private static final class Totals {
    double makespanMs;
    double lowerBoundMs;
    double ratioSum;
    long calls;
    long succeeded;
    long attempts;
    long cacheHits;
    final List<Double> graphMakespans = new ArrayList<>();
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    ProgressListener progress = context.progress();
    AdaptivePredictor learned = predictor(context.seedFor("graphs-model"));
    AdaptivePredictor movingAverage = predictor(context.seedFor("graphs-model"));
    HeterogeneousGraphs training =
        new HeterogeneousGraphs(
            context.seedFor("graphs-training"), sizes.minCalls(), sizes.maxCalls(), TOOLS);
    progress.phase("training graphs (FIFO)", sizes.trainingGraphs() + 1L);
    long trainingRecords = 0;
    try (Simulator fifo = Simulator.builder().slots(TRAINING_SLOTS).build()) {
      for (int g = 0; g < sizes.trainingGraphs(); g++) {
        for (ExecutionRecord record : fifo.run(training.next()).records()) {
          learned.accept(record);
          movingAverage.accept(record);
          trainingRecords++;
        }
        progress.step();
      }
    }
    learned.retrain();
    progress.step();

    Map<String, SchedulingPolicy> schedulers = new LinkedHashMap<>();
    schedulers.put("fifo", SchedulingPolicy.fifo());
    schedulers.put("ewma_priority", CriticalPathScheduling.using(movingAverage));
    schedulers.put("learned", CriticalPathScheduling.using(learned));
    schedulers.put("oracle", CriticalPathScheduling.using(Simulator.oracle()));
    Map<String, Totals> totals = new LinkedHashMap<>();
    schedulers.keySet().forEach(p -> totals.put(p, new Totals()));
    List<Chart> gantts = new ArrayList<>();
    Map<String, Object> schedules = new LinkedHashMap<>();
    Map<String, Object> ganttField = Map.of();

    HeterogeneousGraphs graphs =
        new HeterogeneousGraphs(
            context.seedFor("graphs-test"), sizes.minCalls(), sizes.maxCalls(), TOOLS);
    Random slotsRandom = new Random(context.seedFor("graphs-slots"));
    progress.phase("test graphs x " + schedulers.size() + " policies", sizes.testGraphs());
    boolean ganttDone = false;
    for (int g = 0; g < sizes.testGraphs(); g++) {
      Workload workload = graphs.next();
      int slots = MIN_SLOTS + slotsRandom.nextInt(MAX_SLOTS - MIN_SLOTS + 1);
      boolean gantt =
          !ganttDone && (workload.size() <= GANTT_MAX_CALLS || g == sizes.testGraphs() - 1);
      for (var e : schedulers.entrySet()) {
        SimulationResult r;
        try (Simulator sim = Simulator.builder().slots(slots).scheduling(e.getValue()).build()) {
          r = sim.run(workload);
        }
        add(totals.get(e.getKey()), r);
        if (gantt) {
          String title =
              String.format(
                  Locale.ROOT,
                  "%s: graph %s (%d calls, %d slots), makespan %.0f ms, lower bound %.0f ms",
                  e.getKey(),
                  workload.name(),
                  workload.size(),
                  slots,
                  Durations.millis(r.makespan()),
                  Durations.millis(r.lowerBound()));
          Chart.Gantt chart = GanttLanes.chart(title, r);
          gantts.add(chart);
          schedules.put(e.getKey(), compact(chart));
        }
      }
      if (gantt) {
        ganttDone = true;
        ganttField =
            withHeader(
                schedules, workload.name(), workload.size(), slots, workload.lowerBound(slots));
      }
      progress.step();
    }

    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    Map<String, Object> meanRatio = new LinkedHashMap<>();
    int n = sizes.testGraphs();
    totals.forEach(
        (name, t) -> {
          policies.put(
              name,
              PolicyFigures.builder()
                  .makespanMs(t.makespanMs)
                  .lowerBoundMs(t.lowerBoundMs)
                  .successRate(t.calls == 0 ? 1 : (double) t.succeeded / t.calls)
                  .p95Ms(
                      Stats.percentile(
                          t.graphMakespans.stream().mapToDouble(Double::doubleValue).toArray(), 95))
                  .toolExecutions(t.attempts)
                  .cacheHits(t.cacheHits)
                  .throughputPerS(t.succeeded / (t.makespanMs / 1000))
                  .build());
          meanRatio.put(name, t.ratioSum / n);
        });
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("graphs", n);
    fields.put("training_graphs", sizes.trainingGraphs());
    fields.put("training_records", trainingRecords);
    fields.put("calls_per_graph", List.of(sizes.minCalls(), sizes.maxCalls()));
    fields.put("slots", List.of(MIN_SLOTS, MAX_SLOTS));
    fields.put("mean_makespan_over_lower_bound", meanRatio);
    fields.put(
        "learned_over_oracle", totals.get("learned").makespanMs / totals.get("oracle").makespanMs);
    fields.put(
        "learned_over_fifo", totals.get("learned").makespanMs / totals.get("fifo").makespanMs);
    fields.put(
        "learned_over_ewma_priority",
        totals.get("learned").makespanMs / totals.get("ewma_priority").makespanMs);
    fields.put("model", ModelReports.fields(learned.report()));
    fields.put("gantt", ganttField);
    return new WorkloadResult(name(), policies, fields, gantts);
  }

  private static void add(Totals t, SimulationResult r) {
    double makespan = Durations.millis(r.makespan());
    t.makespanMs += makespan;
    t.lowerBoundMs += Durations.millis(r.lowerBound());
    t.ratioSum += r.ratioToLowerBound();
    t.graphMakespans.add(makespan);
    for (CallResult<?> call : r.run().results()) {
      t.calls++;
      t.succeeded += call.isSuccess() ? 1 : 0;
      t.attempts += call.attempts();
      t.cacheHits += call.cacheHit() ? 1 : 0;
    }
  }

  /** The chart's bars as {@code [lane, start_ms, end_ms, tool]} rows, for the JSON. */
  private static List<List<Object>> compact(Chart.Gantt chart) {
    List<List<Object>> rows = new ArrayList<>(chart.bars().size());
    for (Chart.GanttBar bar : chart.bars()) {
      rows.add(List.of(bar.lane(), round(bar.startMs()), round(bar.endMs()), bar.group()));
    }
    return rows;
  }

  private static Map<String, Object> withHeader(
      Map<String, Object> schedules,
      String graph,
      int calls,
      int slots,
      java.time.Duration lowerBound) {
    Map<String, Object> gantt = new LinkedHashMap<>();
    gantt.put("graph", graph);
    gantt.put("calls", calls);
    gantt.put("slots", slots);
    gantt.put("lower_bound_ms", Durations.millis(lowerBound));
    gantt.put("columns", List.of("lane", "start_ms", "end_ms", "tool"));
    gantt.put("schedules", schedules);
    return gantt;
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }

  private static AdaptivePredictor predictor(long seed) {
    return AdaptivePredictor.builder()
        .trainingExecutor(Runnable::run)
        .retrainEvery(Integer.MAX_VALUE)
        .windowSize(20_000)
        .seed(seed)
        .build();
  }
}
