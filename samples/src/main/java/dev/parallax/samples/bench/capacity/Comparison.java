package dev.parallax.samples.bench.capacity;

import dev.parallax.samples.bench.model.Spread;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compares limiters on one backend. First a sweep: fixed limits and every configuration of each
 * Netflix algorithm run once on each of the sweep's backends, interleaved (every configuration once
 * per round, the order rotated from round to round), each scored by the median of its rounds; each
 * family's best configuration is kept. Then the five policies ({@code adaptive}, {@code
 * static_best}, {@code vegas}, {@code gradient2}, {@code aimd}) run once on every repeat's backend,
 * interleaved the same way, and each reports the median of its repeats with their min and max.
 * Finally the backend halves mid-run: the best fixed limit of the halved backend is swept (median
 * of its sweep backends), and the policies named run through the halving.
 *
 * <p>The score is goodput: successful calls per second (a rejected or timed-out call is not served
 * work). The share of calls that succeeded is reported beside it.
 */
public final class Comparison {

  /** What to measure on one backend. */
  public interface Setup {
    /** The backend of each repeat of the chosen policies. */
    List<Backend> repeats();

    /**
     * The backend of each round of the sweep (by default the repeats' backends); a configuration is
     * scored by the median of its rounds.
     */
    default List<Backend> sweeps() {
      return repeats();
    }

    /** A backend with half the workers, for the best fixed limit after halving. */
    Backend halved();

    /** The backend of each round of the halved backend's sweep (by default {@link #halved()}). */
    default List<Backend> halvedSweeps() {
      return List.of(halved());
    }

    /** The fixed limits swept on the backend. */
    List<Integer> fixedLimits();

    /** The fixed limits swept on the halved backend. */
    List<Integer> halvedFixedLimits();

    /** Each run. */
    Backend.Schedule schedule();

    /** The run through a halving. */
    Backend.Schedule halving();

    /** After the halving, how long a policy gets before its throughput is judged. */
    double settleSeconds();

    /** Width of the rolling window for the recovery time, in seconds. */
    double rollingSeconds();

    /** The policies run through the halving. */
    List<String> halvingPolicies();

    /** No-load latency scale for AIMD's timeout. */
    double noLoadMillis();
  }

  /** Told after each run. */
  public interface Progress {
    void ran(String what);
  }

  /** The result, as nested maps for the JSON, and each policy's measured figures. */
  public record Result(Map<String, Object> fields, Map<String, Backend.Outcome> medians) {}

  /** The goodput of a configuration over its rounds, and the run closest to the median. */
  private record Scored(Spread goodput, Spread success, Backend.Outcome median) {
    static Scored of(List<Backend.Outcome> outcomes) {
      Spread goodput =
          Spread.of(outcomes.stream().mapToDouble(Backend.Outcome::successesPerSecond).toArray());
      Spread success =
          Spread.of(outcomes.stream().mapToDouble(Backend.Outcome::successRate).toArray());
      return new Scored(goodput, success, closest(outcomes, goodput.median()));
    }
  }

  private static final String STATIC = "static";

  private Comparison() {}

  /** Counts the runs {@link #run} makes, for progress bars. */
  public static int runs(Setup setup) {
    int netflix =
        Contenders.netflix(setup.noLoadMillis()).values().stream().mapToInt(List::size).sum();
    return (setup.fixedLimits().size() + netflix) * setup.sweeps().size()
        + 5 * setup.repeats().size()
        + setup.halvedFixedLimits().size() * setup.halvedSweeps().size()
        + setup.halvingPolicies().size();
  }

  /** Measures. */
  public static Result run(Setup setup, Progress progress) {
    Map<String, List<Contenders.Config>> families = new LinkedHashMap<>();
    families.put(STATIC, fixedConfigs(setup.fixedLimits()));
    families.putAll(Contenders.netflix(setup.noLoadMillis()));
    Map<Contenders.Config, Scored> scores =
        interleaved(families, setup.sweeps(), setup.schedule(), progress);

    Map<String, Supplier<Limiter>> best = new LinkedHashMap<>();
    Map<String, Object> chosen = new LinkedHashMap<>();
    Map<String, Object> sweeps = new LinkedHashMap<>();
    best.put("adaptive", Contenders::adaptive);
    chosen.put("adaptive", Map.of("defaults", true, "reference", "none (cold)"));
    for (var e : families.entrySet()) {
      List<Object> sweep = new ArrayList<>();
      Contenders.Config top = null;
      for (Contenders.Config config : e.getValue()) {
        Scored s = scores.get(config);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("parameters", config.parameters());
        row.put("throughput_per_s", s.goodput().median());
        row.put("throughput_spread", s.goodput());
        row.put("success_rate", s.success().median());
        sweep.add(row);
        if (top == null || s.goodput().median() > scores.get(top).goodput().median()) {
          top = config;
        }
      }
      String policy = e.getKey().equals(STATIC) ? "static_best" : e.getKey();
      best.put(policy, top.make());
      chosen.put(policy, top.parameters());
      sweeps.put(e.getKey(), sweep);
    }

    Map<String, List<Backend.Outcome>> repeats = new LinkedHashMap<>();
    best.keySet().forEach(k -> repeats.put(k, new ArrayList<>()));
    List<String> names = new ArrayList<>(best.keySet());
    for (int r = 0; r < setup.repeats().size(); r++) {
      Backend backend = setup.repeats().get(r);
      for (String policy : rotated(names, r)) {
        repeats.get(policy).add(backend.run(best.get(policy).get(), setup.schedule()));
        progress.ran(policy);
      }
    }
    Map<String, Object> policies = new LinkedHashMap<>();
    Map<String, Backend.Outcome> medians = new LinkedHashMap<>();
    for (var e : repeats.entrySet()) {
      Scored s = Scored.of(e.getValue());
      Backend.Outcome median = s.median();
      medians.put(e.getKey(), median);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("throughput_per_s", s.goodput().median());
      figures.put("throughput_spread", s.goodput());
      figures.put("success_rate", median.successRate());
      figures.put("success_rate_spread", s.success());
      figures.put("p95_ms", median.p95LatencyMs());
      figures.put("mean_limit", median.meanLimit());
      figures.put("parameters", chosen.get(e.getKey()));
      policies.put(e.getKey(), figures);
    }
    double adaptive = throughput(policies, "adaptive");
    String bestNetflix = "vegas";
    for (String policy : List.of("gradient2", "aimd")) {
      if (throughput(policies, policy) > throughput(policies, bestNetflix)) {
        bestNetflix = policy;
      }
    }
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("adaptive_over_static_best", adaptive / throughput(policies, "static_best"));
    ratios.put("adaptive_over_best_netflix", adaptive / throughput(policies, bestNetflix));
    ratios.put("best_netflix", bestNetflix);
    ratios.put(
        "paired_adaptive_over_static_best", paired(repeats, "adaptive", List.of("static_best")));
    ratios.put(
        "paired_adaptive_over_best_netflix",
        paired(repeats, "adaptive", List.of("vegas", "gradient2", "aimd")));

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(
        "score",
        "throughput_per_s is goodput: successful calls per second (rejections and timeouts not"
            + " counted), the median of interleaved repeats; success_rate is the share of finished"
            + " calls that succeeded");
    fields.put("policies", policies);
    fields.put("ratios", ratios);
    fields.put("repeats", setup.repeats().size());
    fields.put("sweep_rounds", setup.sweeps().size());
    fields.put("run_seconds", setup.schedule().seconds());
    fields.put("warmup_seconds", setup.schedule().warmupSeconds());
    fields.put("sweeps", sweeps);
    fields.put("halving", halving(setup, best, progress));
    return new Result(fields, medians);
  }

  /**
   * The ratio of {@code policy} to the best of {@code others} within each repeat (the runs of one
   * repeat share its draws and are close in time), over the repeats.
   */
  private static Spread paired(
      Map<String, List<Backend.Outcome>> repeats, String policy, List<String> others) {
    double[] ratios = new double[repeats.get(policy).size()];
    for (int r = 0; r < ratios.length; r++) {
      double best = 0;
      for (String other : others) {
        best = Math.max(best, repeats.get(other).get(r).successesPerSecond());
      }
      ratios[r] = repeats.get(policy).get(r).successesPerSecond() / best;
    }
    return Spread.of(ratios);
  }

  private static List<Contenders.Config> fixedConfigs(List<Integer> limits) {
    return limits.stream()
        .map(l -> new Contenders.Config(Map.of("limit", l), () -> Limiter.fixed(l)))
        .toList();
  }

  /**
   * Runs every configuration once per backend of {@code rounds}, the order of the configurations
   * rotated from round to round, and scores each by its rounds.
   */
  private static Map<Contenders.Config, Scored> interleaved(
      Map<String, List<Contenders.Config>> families,
      List<Backend> rounds,
      Backend.Schedule schedule,
      Progress progress) {
    List<Contenders.Config> all = new ArrayList<>();
    Map<Contenders.Config, String> family = new IdentityHashMap<>();
    families.forEach(
        (name, configs) -> {
          all.addAll(configs);
          configs.forEach(c -> family.put(c, name));
        });
    Map<Contenders.Config, List<Backend.Outcome>> outcomes = new IdentityHashMap<>();
    all.forEach(c -> outcomes.put(c, new ArrayList<>()));
    for (int r = 0; r < rounds.size(); r++) {
      Backend backend = rounds.get(r);
      int shift = r * all.size() / rounds.size();
      for (Contenders.Config config : rotated(all, shift)) {
        outcomes.get(config).add(backend.run(config.make().get(), schedule));
        progress.ran(family.get(config));
      }
    }
    Map<Contenders.Config, Scored> scores = new IdentityHashMap<>();
    outcomes.forEach((c, o) -> scores.put(c, Scored.of(o)));
    return scores;
  }

  private static <T> List<T> rotated(List<T> items, int by) {
    List<T> order = new ArrayList<>(items);
    Collections.rotate(order, -by);
    return order;
  }

  private static Map<String, Object> halving(
      Setup setup, Map<String, Supplier<Limiter>> best, Progress progress) {
    Backend.Schedule halving = setup.halving();
    List<Contenders.Config> limits = fixedConfigs(setup.halvedFixedLimits());
    Map<Contenders.Config, Scored> scores =
        interleaved(Map.of(STATIC, limits), setup.halvedSweeps(), setup.schedule(), progress);
    List<Object> sweep = new ArrayList<>();
    int newLimit = setup.halvedFixedLimits().get(0);
    double newBest = -1;
    for (Contenders.Config config : limits) {
      Scored s = scores.get(config);
      int limit = (int) config.parameters().get("limit");
      sweep.add(List.of(limit, s.goodput().median()));
      if (s.goodput().median() > newBest) {
        newBest = s.goodput().median();
        newLimit = limit;
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("halve_at_s", halving.halveAtSeconds());
    fields.put("run_seconds", halving.seconds());
    fields.put("settle_s", setup.settleSeconds());
    fields.put("rolling_window_s", setup.rollingSeconds());
    fields.put("new_best_fixed_limit", newLimit);
    fields.put("new_best_throughput_per_s", newBest);
    fields.put("new_best_sweep", sweep);
    Map<String, Object> policies = new LinkedHashMap<>();
    for (String policy : setup.halvingPolicies()) {
      Backend.Outcome o = setup.repeats().get(0).run(best.get(policy).get(), halving);
      progress.ran(policy + " halving");
      List<Double> bins = o.binThroughput();
      int first = (int) Math.round(halving.halveAtSeconds() / halving.binSeconds());
      int settled =
          (int)
              Math.round((halving.halveAtSeconds() + setup.settleSeconds()) / halving.binSeconds());
      int window = Math.max(1, (int) Math.round(setup.rollingSeconds() / halving.binSeconds()));
      double after = mean(bins, settled, bins.size());
      double recovered = Double.NaN;
      for (int i = first; i + window <= bins.size(); i++) {
        if (mean(bins, i, i + window) >= 0.9 * newBest) {
          recovered = (i + window) * halving.binSeconds() - halving.halveAtSeconds();
          break;
        }
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("throughput_before_per_s", mean(bins, first / 2, first));
      figures.put("throughput_after_settle_per_s", after);
      figures.put("ratio_after_settle_to_new_best", after / newBest);
      figures.put("recovered_to_90pct_after_s", recovered);
      policies.put(policy, figures);
    }
    fields.put("policies", policies);
    return fields;
  }

  private static double mean(List<Double> values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values.get(i);
    }
    return to > from ? sum / (to - from) : Double.NaN;
  }

  @SuppressWarnings("unchecked")
  private static double throughput(Map<String, Object> policies, String policy) {
    return (double) ((Map<String, Object>) policies.get(policy)).get("throughput_per_s");
  }

  private static Backend.Outcome closest(List<Backend.Outcome> outcomes, double value) {
    Backend.Outcome closest = outcomes.get(0);
    for (Backend.Outcome o : outcomes) {
      if (Math.abs(o.successesPerSecond() - value)
          < Math.abs(closest.successesPerSecond() - value)) {
        closest = o;
      }
    }
    return closest;
  }
}
