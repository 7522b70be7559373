package dev.parallax.samples.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.planner.preload.ObservedCall;
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
 * virtual time, with and without preloading; and the other way round. Each direction is replayed
 * twice: with the model learnt once on the learning half, and prequentially (test then train,
 * relearning every {@value #RELEARN_EVERY} held-out trajectories from those already replayed).
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
    int splits = reduced ? PreloadSplits.QUICK_SPLITS : PreloadSplits.SPLITS;
    context
        .progress()
        .phase("learn on one half (threshold by 5-fold CV), replay the other", 4 + splits);

    Direction ab = direction(first, second, seed, latency, preloadable);
    context.progress().step();
    Direction ba = direction(second, first, seed, latency, preloadable);
    context.progress().step();
    Result main = ab.result();
    PreloadModel model = ab.model();
    List<List<Step>> heldOut = steps(second, seed, true);
    Preloading options = ab.options();
    Result noGap = PreloadReplay.replay(steps(second, seed, false), options, preloadable, latency);
    context.progress().step();
    fields.put("hit_rate", main.hitRate());
    fields.put("wait_saved_share", main.waitSavedShare());
    fields.put("wasted_share", main.wastedShare());
    fields.put(
        "goals",
        Map.of("wait_saved_share_at_least", GOAL_SAVED, "wasted_share_at_most", GOAL_WASTE));
    fields.put("goals_met", ab.goalsMet());
    fields.put("goals_met_both_directions", ab.goalsMet() && ba.goalsMet());
    fields.put(
        "goals_met_both_directions_prequential",
        ab.prequentialGoalsMet() && ba.prequentialGoalsMet());
    fields.put("min_confidence", ab.minConfidence());
    fields.put("max_waste_share", options.maxWasteShare());
    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("learn_tasks_0_24_replay_25_49", ab.headline());
    headline.put("learn_tasks_25_49_replay_0_24", ba.headline());
    fields.put("preload_by_direction", headline);
    Map<String, Object> directions = new LinkedHashMap<>();
    directions.put("learn_tasks_0_24_replay_25_49", ab.describe());
    directions.put("learn_tasks_25_49_replay_0_24", ba.describe());
    fields.put("directions", directions);
    fields.put("held_out", describe(main, second.size()));
    fields.put("rules", model.rules().stream().map(Object::toString).toList());
    fields.put("suspended_rules", main.suspendedRules());
    fields.put("halves_swapped", figures(ba.result(), ba.model()));
    fields.put("no_gap", figures(noGap, model));
    List<PreloadSplits.Half> halves =
        PreloadSplits.run(all, splits, seed, latency, preloadable, context.progress()::step);
    Map<String, Object> overSplits = new LinkedHashMap<>();
    overSplits.put("prequential", PreloadSplits.summary(halves, PreloadSplits.Half::prequential));
    overSplits.put("learnt_once", PreloadSplits.summary(halves, PreloadSplits.Half::once));
    fields.put("preload_over_splits", overSplits);
    fields.put("preload_splits", PreloadSplits.perHalf(halves));
    fields.put(
        "splits_method",
        splits
            + " seeded random splits of the 50 tasks into halves of 25 (all trials of a task in one"
            + " half), each replayed both ways with the method of the primary direction; medians"
            + " and ranges over the held-out halves (not independent: a description of spread)");
    if (!reduced) { // --quick: the main figures only
      sensitivity(fields, first, heldOut, ab, latency, preloadable);
      Map<String, Object> every = new LinkedHashMap<>();
      every.put(
          "learn_tasks_0_24_replay_25_49", everySession(first, second, seed, latency, preloadable));
      every.put(
          "learn_tasks_25_49_replay_0_24", everySession(second, first, seed, latency, preloadable));
      fields.put("prequential_relearn_every_trajectory", every);
    }
    context.progress().step();
    return result(fields, main, heldOut);
  }

  static boolean met(Result r) {
    return r.waitSavedShare() >= GOAL_SAVED && r.wastedShare() <= GOAL_WASTE;
  }

  static final double GOAL_SAVED = 0.20;
  static final double GOAL_WASTE = 0.25;
  static final int FOLDS = 5;

  /**
   * Held-out trajectories between two relearnings in the prequential replay (fixed beforehand, not
   * tuned: a cache relearning its model every ten agent sessions).
   */
  static final int RELEARN_EVERY = 10;

  /**
   * One direction: the threshold chosen by cross-validation on the learning trajectories, the model
   * learnt on all of them with it, and the replay of the held-out trajectories.
   */
  record Direction(
      double minConfidence,
      PreloadModel model,
      Preloading options,
      Result result,
      Map<String, Object> validation,
      Result prequential) {

    boolean goalsMet() {
      return met(result);
    }

    boolean prequentialGoalsMet() {
      return met(prequential);
    }

    Map<String, Object> headline() {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("wait_saved_share", result.waitSavedShare());
      h.put("wasted_share", result.wastedShare());
      h.put("hit_rate", result.hitRate());
      h.put("min_confidence", minConfidence);
      h.put("goals_met", goalsMet());
      h.put("prequential_wait_saved_share", prequential.waitSavedShare());
      h.put("prequential_wasted_share", prequential.wastedShare());
      h.put("prequential_hit_rate", prequential.hitRate());
      h.put("prequential_goals_met", prequentialGoalsMet());
      return h;
    }

    Map<String, Object> describe() {
      Map<String, Object> d = figures(result, model);
      d.put("min_confidence", minConfidence);
      d.put("goals_met", goalsMet());
      d.put("suspended_rules", result.suspendedRules());
      d.put("skipped_suspended", result.skippedSuspended());
      d.put("skipped_budget", result.skippedBudget());
      d.put("min_confidence_cross_validation", validation);
      Map<String, Object> p = figures(prequential, model);
      p.remove("rules"); // relearnt along the way: the first model's rules are above
      p.put("relearn_every_trajectories", RELEARN_EVERY);
      p.put("goals_met", prequentialGoalsMet());
      p.put("suspended_rules", prequential.suspendedRules());
      p.put("shadow_predictions", prequential.shadowPredicted());
      p.put("shadow_predictions_right", prequential.shadowRight());
      d.put("prequential", p);
      d.put("shadow_predictions", result.shadowPredicted());
      d.put("shadow_predictions_right", result.shadowRight());
      return d;
    }
  }

  static Direction direction(
      List<Trajectory> learning,
      List<Trajectory> heldOut,
      long seed,
      BiFunction<String, JsonNode, Duration> latency,
      Predicate<String> preloadable) {
    Map<String, Object> validation = new LinkedHashMap<>();
    double c = chooseConfidence(validation, learning, seed, latency, preloadable);
    PreloadModel model = learner(c).learn(sessions(learning));
    Preloading options = Preloading.builder().model(model).minProbability(c).build();
    List<List<Step>> replayed = steps(heldOut, seed, true);
    Result r = PreloadReplay.replay(replayed, options, preloadable, latency);
    // prequential: every RELEARN_EVERY held-out trajectories, the threshold is chosen again by the
    // same cross-validation and the model relearnt, both on the learning half plus the held-out
    // trajectories replayed so far (never on one not yet replayed)
    List<Double> thresholds = new ArrayList<>();
    Result prequential =
        PreloadReplay.replay(
            replayed,
            Preloading.builder().model(model).minProbability(CONFIDENCES[0]).build(),
            preloadable,
            latency,
            RELEARN_EVERY,
            seen -> {
              List<Trajectory> all = new ArrayList<>(learning);
              all.addAll(heldOut.subList(0, seen.size()));
              double cj = chooseConfidence(new LinkedHashMap<>(), all, seed, latency, preloadable);
              thresholds.add(cj);
              return learner(cj).learn(sessions(all));
            });
    validation.put("prequential_thresholds", thresholds);
    return new Direction(c, model, options, r, validation, prequential);
  }

  /**
   * The held-out half replayed prequentially with the model relearnt before every trajectory (not
   * every {@value #RELEARN_EVERY}); the threshold is re-chosen by the same cross-validation every
   * {@value #RELEARN_EVERY} trajectories as in the primary method (the cross-validation costs five
   * learnings). Reports the figures and the cost: relearnings and their mean wall time (noisy: a
   * shared machine).
   */
  static Map<String, Object> everySession(
      List<Trajectory> learning,
      List<Trajectory> heldOut,
      long seed,
      BiFunction<String, JsonNode, Duration> latency,
      Predicate<String> preloadable) {
    double[] threshold = {
      chooseConfidence(new LinkedHashMap<>(), learning, seed, latency, preloadable)
    };
    long[] cost = new long[2]; // relearnings, nanos
    Result r =
        PreloadReplay.replay(
            steps(heldOut, seed, true),
            Preloading.builder()
                .model(learner(threshold[0]).learn(sessions(learning)))
                .minProbability(CONFIDENCES[0])
                .build(),
            preloadable,
            latency,
            1,
            seen -> {
              List<Trajectory> all = new ArrayList<>(learning);
              all.addAll(heldOut.subList(0, seen.size()));
              if (seen.size() % RELEARN_EVERY == 0) {
                threshold[0] =
                    chooseConfidence(new LinkedHashMap<>(), all, seed, latency, preloadable);
              }
              long t0 = System.nanoTime();
              PreloadModel m = learner(threshold[0]).learn(sessions(all));
              cost[0]++;
              cost[1] += System.nanoTime() - t0;
              return m;
            });
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("wait_saved_share", r.waitSavedShare());
    f.put("wasted_share", r.wastedShare());
    f.put("hit_rate", r.hitRate());
    f.put("goals_met", met(r));
    f.put("relearnings", cost[0]);
    f.put("relearn_ms_mean", cost[0] == 0 ? 0 : cost[1] / 1e6 / cost[0]);
    return f;
  }

  private static void sensitivity(
      Map<String, Object> fields,
      List<Trajectory> first,
      List<List<Step>> heldOut,
      Direction ab,
      BiFunction<String, JsonNode, Duration> latency,
      Predicate<String> preloadable) {
    // not used for any choice: how the held-out figures move with the threshold (this peeks)
    Map<String, Object> sweep = new LinkedHashMap<>();
    PreloadModel lowest = learner(CONFIDENCES[0]).learn(sessions(first));
    for (double c : CONFIDENCES) {
      Result r =
          PreloadReplay.replay(
              heldOut,
              Preloading.builder().model(lowest).minProbability(c).build(),
              preloadable,
              latency);
      sweep.put(String.format(java.util.Locale.ROOT, "%.1f", c), figures(r, lowest));
    }
    fields.put("min_confidence_sweep_held_out", sweep);
    // the same model without the online guards (per-rule share budget; threshold 0)
    Result unguarded =
        PreloadReplay.replay(
            heldOut,
            Preloading.builder().model(ab.model()).minProbability(0).maxWasteShare(1.0).build(),
            preloadable,
            latency);
    fields.put("without_online_guards", figures(unguarded, ab.model()));
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
    fields.put(
        "method",
        "threshold (min_confidence) chosen per direction by grouped 5-fold cross-validation on the"
            + " learning half only (max wait saved with wasted <= 25%); online guard: a rule's"
            + " preload starts only if its unused preloads (pending included) stay <= 2 + 0.25 x"
            + " (its preloads started + its shadow predictions while suspended; a suspended rule"
            + " is re-admitted when its shadow predictions come true); rules first- and"
            + " second-order (after B that followed A). prequential: the held-out half replayed in"
            + " file order, test then train: every 10 trajectories the threshold is re-chosen by"
            + " the same CV and the model relearnt on the learning half plus the held-out"
            + " trajectories already replayed");

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
   * The learner's minimum confidence, chosen on the learning trajectories alone by grouped {@value
   * #FOLDS}-fold cross-validation: the tasks are dealt into folds (all trials of a task in one
   * fold, so that no task is both learnt and validated); for each fold a model is learnt on the
   * other folds and the fold's trajectories are replayed with preloading as configured (online
   * guards included); the figures are pooled over the folds (sums of waiting and of preloads, not
   * an average of ratios). The threshold kept is the one that saves the most waiting with at most
   * 25% of preloads wasted; when none meets that, the one that wastes least.
   *
   * <p>Learning once per fold at the lowest threshold and filtering the predictions by probability
   * gives exactly the model learnt at each higher threshold (rules are kept by support and
   * probability, the most probable first), so each fold is learnt once.
   */
  static double chooseConfidence(
      Map<String, Object> trace,
      List<Trajectory> learning,
      long seed,
      BiFunction<String, JsonNode, Duration> latency,
      Predicate<String> preloadable) {
    List<Integer> tasks = learning.stream().map(Trajectory::taskId).distinct().sorted().toList();
    long[][] pooled = new long[CONFIDENCES.length][4]; // wait without, wait with, started, wasted
    for (int fold = 0; fold < FOLDS; fold++) {
      final int f = fold;
      java.util.Set<Integer> validationTasks = new java.util.HashSet<>();
      for (int i = 0; i < tasks.size(); i++) {
        if (i % FOLDS == f) {
          validationTasks.add(tasks.get(i));
        }
      }
      List<Trajectory> inner =
          learning.stream().filter(t -> !validationTasks.contains(t.taskId())).toList();
      List<List<Step>> validation =
          steps(
              learning.stream().filter(t -> validationTasks.contains(t.taskId())).toList(),
              seed,
              true);
      PreloadModel m = learner(CONFIDENCES[0]).learn(sessions(inner));
      for (int k = 0; k < CONFIDENCES.length; k++) {
        Result r =
            PreloadReplay.replay(
                validation,
                Preloading.builder().model(m).minProbability(CONFIDENCES[k]).build(),
                preloadable,
                latency);
        pooled[k][0] += r.waitWithoutNanos();
        pooled[k][1] += r.waitWithNanos();
        pooled[k][2] += r.preloadsStarted();
        pooled[k][3] += r.preloadsWasted();
      }
    }
    double best = Double.NaN;
    double bestSaved = -1;
    double leastWaste = Double.MAX_VALUE;
    double leastWasteAt = CONFIDENCES[CONFIDENCES.length - 1];
    for (int k = 0; k < CONFIDENCES.length; k++) {
      double saved = pooled[k][0] == 0 ? 0 : 1 - (double) pooled[k][1] / pooled[k][0];
      double wasted = pooled[k][2] == 0 ? 0 : (double) pooled[k][3] / pooled[k][2];
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("wait_saved_share", saved);
      row.put("wasted_share", wasted);
      row.put("preloads_started", pooled[k][2]);
      trace.put(String.format(java.util.Locale.ROOT, "%.1f", CONFIDENCES[k]), row);
      if (wasted <= GOAL_WASTE && saved > bestSaved) {
        best = CONFIDENCES[k];
        bestSaved = saved;
      }
      if (wasted < leastWaste) {
        leastWaste = wasted;
        leastWasteAt = CONFIDENCES[k];
      }
    }
    double chosen = Double.isNaN(best) ? leastWasteAt : best;
    trace.put("folds", FOLDS);
    trace.put("chosen", chosen);
    return chosen;
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

  static List<List<ObservedCall>> sessions(List<Trajectory> ts) {
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
    args.properties().forEach(e -> m.put(e.getKey(), e.getValue().toString()));
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
