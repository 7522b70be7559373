package dev.parallax.samples.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.PreloadReplay;
import dev.parallax.planner.preload.PreloadReplay.Result;
import dev.parallax.planner.preload.PreloadReplay.Step;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import dev.parallax.samples.bench.workload.TauBenchTrajectories.Call;
import dev.parallax.samples.bench.workload.TauBenchTrajectories.Trajectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Speculative preloading on real agent trajectories (τ-bench airline, GPT-4o): the model learns on
 * the trajectories of tasks 0-24 and the trajectories of tasks 25-49 are replayed turn by turn in
 * virtual time, with and without preloading.
 */
/*
 * Figures (held-out half, summed over its trajectories):
 *   hit_rate          real calls answered by a preloaded entry (done, or joined while running)
 *                     / all real calls (every tool, side effects included)
 *   wait_saved_share  1 - (time the agent waited for tools with cache + preloading)
 *                       / (time it waited with the cache alone; repeats of a call are hits there)
 *   wasted_share      preloads no real call of their trajectory used / preloads started
 * Latencies are modelled, the trajectories record none: every backend tool (all but calculate and
 * think, which run in the agent: 1 ms) takes a log-normal time, median 300 ms, sigma 0.6, drawn once
 * per (tool, canonical arguments) from the seed, so a preloaded call and the identical real call
 * take the same time. The agent issues each call a model-generation time after the previous answer
 * (log-normal, median 1 s, sigma 0.5), plus the user's reply time (log-normal, median 8 s, sigma
 * 0.5) when the user spoke in between. Sensitivity: the same replay with no gap at all (the agent
 * calls the instant an answer arrives, the worst case for preloading), the halves swapped, and the
 * learner's minimum confidence swept.
 */
final class PreloadWorkload implements BenchWorkload {

  static final int SPLIT_TASK = 25;
  static final double[] CONFIDENCES = {0.5, 0.6, 0.7, 0.8, 0.9};
  static final double TOOL_MEDIAN_S = 0.300;
  static final double TOOL_SIGMA = 0.6;
  static final double LOCAL_S = 0.001;
  static final double THINK_MEDIAN_S = 1.0;
  static final double THINK_SIGMA = 0.5;
  static final double USER_MEDIAN_S = 8.0;
  static final double USER_SIGMA = 0.5;

  @Override
  public String name() {
    return "preload";
  }

  @Override
  public String description() {
    return "speculative preloading on real tau-bench agent trajectories (learn on half, replay half)";
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Map<String, Object> fields = new LinkedHashMap<>();
    Path file = TauBenchTrajectories.locate();
    if (file == null) {
      fields.put("skipped", TauBenchTrajectories.lookedFor());
      return new WorkloadResult(name(), Map.of(), fields, List.of());
    }
    List<Trajectory> all = TauBenchTrajectories.read(file);
    List<Trajectory> first = all.stream().filter(t -> t.taskId() < SPLIT_TASK).toList();
    List<Trajectory> second = all.stream().filter(t -> t.taskId() >= SPLIT_TASK).toList();
    long seed = context.seedFor("preload");
    BiFunction<String, JsonNode, Duration> latency = latency(seed);
    Predicate<String> preloadable = TauBenchTrajectories.READ_ONLY::contains;
    boolean reduced = context.sizes().learningRecords() < Sizes.full().learningRecords();
    context.progress().phase("learn on one half, replay the other", reduced ? 2 : 4);

    PreloadModel model =
        learner(PreloadModel.Learner.DEFAULT_MIN_CONFIDENCE).learn(sessions(first));
    Preloading options = Preloading.builder().model(model).build();
    List<List<Step>> heldOut = steps(second, seed, true);
    Result main = PreloadReplay.replay(heldOut, options, preloadable, latency);
    context.progress().step();
    Result noGap = PreloadReplay.replay(steps(second, seed, false), options, preloadable, latency);
    context.progress().step();
    fields.put("hit_rate", main.hitRate());
    fields.put("wait_saved_share", main.waitSavedShare());
    fields.put("wasted_share", main.wastedShare());
    fields.put("goals", Map.of("wait_saved_share_at_least", 0.20, "wasted_share_at_most", 0.25));
    fields.put("goals_met", main.waitSavedShare() >= 0.20 && main.wastedShare() <= 0.25);
    fields.put("min_confidence", PreloadModel.Learner.DEFAULT_MIN_CONFIDENCE);
    fields.put("held_out", describe(main, second.size()));
    fields.put("rules", model.rules().stream().map(Object::toString).toList());
    fields.put("no_gap", figures(noGap, model));
    if (!reduced) { // --quick: the main figures only
      sensitivity(fields, first, second, heldOut, seed, latency, preloadable);
      context.progress().step();
      context.progress().step();
    }
    return result(fields, main, heldOut);
  }

  private static void sensitivity(
      Map<String, Object> fields,
      List<Trajectory> first,
      List<Trajectory> second,
      List<List<Step>> heldOut,
      long seed,
      BiFunction<String, JsonNode, Duration> latency,
      Predicate<String> preloadable) {
    PreloadModel swappedModel =
        learner(PreloadModel.Learner.DEFAULT_MIN_CONFIDENCE).learn(sessions(second));
    Result swapped =
        PreloadReplay.replay(
            steps(first, seed, true),
            Preloading.builder().model(swappedModel).build(),
            preloadable,
            latency);
    Map<String, Object> sweep = new LinkedHashMap<>();
    for (double c : CONFIDENCES) {
      PreloadModel m = learner(c).learn(sessions(first));
      Result r =
          PreloadReplay.replay(
              heldOut, Preloading.builder().model(m).build(), preloadable, latency);
      sweep.put(String.format(java.util.Locale.ROOT, "%.1f", c), figures(r, m));
    }
    fields.put("halves_swapped", figures(swapped, swappedModel));
    Map<String, Object> choice = new LinkedHashMap<>();
    double chosen = chooseConfidence(choice, first, seed, latency, preloadable);
    PreloadModel chosenModel = learner(chosen).learn(sessions(first));
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("min_confidence", chosen);
    inner.put(
        "held_out",
        figures(
            PreloadReplay.replay(
                heldOut, Preloading.builder().model(chosenModel).build(), preloadable, latency),
            chosenModel));
    inner.put("validation", choice);
    fields.put("min_confidence_chosen_on_learning_half", inner);
    fields.put("min_confidence_sweep", sweep);
  }

  private WorkloadResult result(Map<String, Object> fields, Result main, List<List<Step>> heldOut) {
    fields.put(
        "definitions",
        Map.of(
            "hit_rate",
            "real calls answered by a preloaded entry / all real calls of the held-out half",
            "wait_saved_share",
            "1 - tool waiting with cache and preloading / tool waiting with the cache alone",
            "wasted_share",
            "preloads no real call of their trajectory used / preloads started"));
    fields.put(
        "latencies",
        "modelled (none recorded): backend tools log-normal median 300 ms sigma 0.6 per (tool,"
            + " arguments); calculate/think 1 ms; agent gap log-normal median 1 s sigma 0.5, plus"
            + " user reply median 8 s sigma 0.5 when the user spoke");
    fields.put("source", "sierra-research/tau-bench historical_trajectories/gpt-4o-airline.json");

    double gaps = gapMillis(heldOut);
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    policies.put(
        "cache_only",
        PolicyFigures.builder()
            .makespanMs(gaps + main.waitWithoutNanos() / 1e6)
            .toolExecutions(main.calls() - main.cacheHitsWithout())
            .cacheHits(main.cacheHitsWithout())
            .build());
    policies.put(
        "preload",
        PolicyFigures.builder()
            .makespanMs(gaps + main.waitWithNanos() / 1e6)
            .toolExecutions(
                main.calls()
                    - main.cacheHitsWithout()
                    - main.preloadHits()
                    + main.preloadsStarted())
            .cacheHits(main.cacheHitsWithout() + main.preloadHits())
            .build());
    List<Chart.Bar> bars =
        List.of(
            new Chart.Bar("tool waiting saved", 100 * main.waitSavedShare()),
            new Chart.Bar("preload hits / calls", 100 * main.hitRate()),
            new Chart.Bar("preloads wasted", 100 * main.wastedShare()));
    return new WorkloadResult(
        name(), policies, fields, List.of(new Chart.Bars("preload: held-out half", "%", bars)));
  }

  static PreloadModel.Learner learner(double minConfidence) {
    return PreloadModel.learner()
        .minConfidence(minConfidence)
        .targets(TauBenchTrajectories.READ_ONLY::contains);
  }

  /**
   * The learner's minimum confidence, chosen on the learning half alone: learn on its first half of
   * tasks, replay its second half, and take the threshold that saves the most waiting with at most
   * 25% wasted preloads (the most demanding threshold when none does).
   */
  static double chooseConfidence(
      Map<String, Object> trace,
      List<Trajectory> learning,
      long seed,
      BiFunction<String, JsonNode, Duration> latency,
      Predicate<String> preloadable) {
    List<Integer> tasks = learning.stream().map(Trajectory::taskId).distinct().sorted().toList();
    int split = tasks.get(tasks.size() / 2);
    List<Trajectory> inner = learning.stream().filter(t -> t.taskId() < split).toList();
    List<List<Step>> validation =
        steps(learning.stream().filter(t -> t.taskId() >= split).toList(), seed, true);
    double best = CONFIDENCES[CONFIDENCES.length - 1];
    double bestSaved = -1;
    for (double c : CONFIDENCES) {
      PreloadModel m = learner(c).learn(sessions(inner));
      Result r =
          PreloadReplay.replay(
              validation, Preloading.builder().model(m).build(), preloadable, latency);
      trace.put(String.format(java.util.Locale.ROOT, "%.1f", c), figures(r, m));
      if (r.wastedShare() <= 0.25 && r.waitSavedShare() > bestSaved) {
        best = c;
        bestSaved = r.waitSavedShare();
      }
    }
    return best;
  }

  private static Map<String, Object> figures(Result r, PreloadModel model) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("hit_rate", r.hitRate());
    f.put("wait_saved_share", r.waitSavedShare());
    f.put("wasted_share", r.wastedShare());
    f.put("preloads_started", r.preloadsStarted());
    f.put("rules", model.rules().stream().map(Object::toString).toList());
    Map<String, Object> byRule = new LinkedHashMap<>();
    r.byRule().forEach((rule, c) -> byRule.put(rule, Map.of("started", c[0], "used", c[1])));
    f.put("preloads_by_rule", byRule);
    return f;
  }

  private static Map<String, Object> describe(Result r, int trajectories) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("trajectories", trajectories);
    f.put("calls", r.calls());
    f.put("preloadable_calls", r.preloadableCalls());
    f.put("cache_hits_without_preloading", r.cacheHitsWithout());
    f.put("preloads_started", r.preloadsStarted());
    f.put("preload_hits", r.preloadHits());
    f.put("preloads_wasted", r.preloadsWasted());
    f.put("tool_wait_ms_cache_only", r.waitWithoutNanos() / 1e6);
    f.put("tool_wait_ms_preload", r.waitWithNanos() / 1e6);
    f.put("skipped_budget", r.skippedBudget());
    f.put("skipped_in_flight", r.skippedInFlight());
    return f;
  }

  static List<List<dev.parallax.planner.preload.ObservedCall>> sessions(List<Trajectory> ts) {
    return ts.stream().map(t -> t.calls().stream().map(Call::call).toList()).toList();
  }

  /** The held-out trajectories as replay steps; the gaps are drawn from the seed. */
  static List<List<Step>> steps(List<Trajectory> ts, long seed, boolean gaps) {
    List<List<Step>> out = new ArrayList<>();
    for (Trajectory t : ts) {
      Random random = new Random(seed ^ (t.taskId() * 31L + t.trial()) * 0x9E3779B97F4A7C15L);
      List<Step> steps = new ArrayList<>();
      int userTurn = -1;
      for (Call c : t.calls()) {
        double gap = logNormal(random, THINK_MEDIAN_S, THINK_SIGMA);
        double user = logNormal(random, USER_MEDIAN_S, USER_SIGMA);
        if (userTurn >= 0 && c.userTurn() > userTurn) {
          gap += user;
        }
        userTurn = c.userTurn();
        steps.add(new Step(c.call(), gaps ? Records.seconds(gap) : Duration.ZERO));
      }
      out.add(steps);
    }
    return out;
  }

  /** A call's modelled latency, drawn once per tool and canonical arguments. */
  static BiFunction<String, JsonNode, Duration> latency(long seed) {
    return (tool, args) -> {
      if (TauBenchTrajectories.LOCAL.contains(tool)) {
        return Records.seconds(LOCAL_S);
      }
      String key = tool + ' ' + canonical(args);
      Random random = new Random(seed ^ key.hashCode() * 0x9E3779B97F4A7C15L);
      return Records.seconds(logNormal(random, TOOL_MEDIAN_S, TOOL_SIGMA));
    };
  }

  private static String canonical(JsonNode args) {
    return args.isObject() ? new java.util.TreeMap<>(toMap(args)).toString() : args.toString();
  }

  private static Map<String, String> toMap(JsonNode args) {
    Map<String, String> m = new LinkedHashMap<>();
    args.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().toString()));
    return m;
  }

  private static double logNormal(Random random, double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  private static double gapMillis(List<List<Step>> sessions) {
    return sessions.stream()
        .flatMap(List::stream)
        .mapToDouble(s -> s.gapBefore().toNanos() / 1e6)
        .sum();
  }
}
