package dev.parallax.samples.bench.capacity;

import dev.parallax.samples.bench.model.Spread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compares limiters on one backend. First a sweep on the first repeat's backend: fixed limits, and
 * every configuration of each Netflix algorithm; each policy's best configuration is kept. Then the
 * five policies ({@code adaptive}, {@code static_best}, {@code vegas}, {@code gradient2}, {@code
 * aimd}) run on every repeat, interleaved (one of each per repeat), and each reports the median of
 * its repeats with their min and max. Finally the backend halves mid-run: the best fixed limit of
 * the halved backend is swept, and the policies named run through the halving.
 */
public final class Comparison {

  /** What to measure on one backend. */
  public interface Setup {
    /** The backend of each repeat (the first one is also swept). */
    List<Backend> repeats();

    /** A backend with half the workers, for the best fixed limit after halving. */
    Backend halved();

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

  private Comparison() {}

  /** Counts the runs {@link #run} makes, for progress bars. */
  public static int runs(Setup setup) {
    int netflix =
        Contenders.netflix(setup.noLoadMillis()).values().stream().mapToInt(List::size).sum();
    return setup.fixedLimits().size()
        + netflix
        + 5 * setup.repeats().size()
        + setup.halvedFixedLimits().size()
        + setup.halvingPolicies().size();
  }

  /** Measures. */
  public static Result run(Setup setup, Progress progress) {
    Backend sweepOn = setup.repeats().get(0);
    Map<String, Supplier<Limiter>> best = new LinkedHashMap<>();
    Map<String, Object> chosen = new LinkedHashMap<>();
    Map<String, Object> sweeps = new LinkedHashMap<>();
    best.put("adaptive", Contenders::adaptive);
    chosen.put("adaptive", Map.of("defaults", true, "reference", "none (cold)"));

    List<Object> fixedSweep = new ArrayList<>();
    int bestLimit =
        sweepFixed(sweepOn, setup.fixedLimits(), setup.schedule(), fixedSweep, progress);
    best.put("static_best", () -> Limiter.fixed(bestLimit));
    chosen.put("static_best", Map.of("limit", bestLimit));
    sweeps.put("static", fixedSweep);

    for (var e : Contenders.netflix(setup.noLoadMillis()).entrySet()) {
      List<Object> sweep = new ArrayList<>();
      Contenders.Config top = null;
      double topThroughput = -1;
      for (Contenders.Config config : e.getValue()) {
        double t = sweepOn.run(config.make().get(), setup.schedule()).successesPerSecond();
        sweep.add(Map.of("parameters", config.parameters(), "throughput_per_s", t));
        if (t > topThroughput) {
          topThroughput = t;
          top = config;
        }
        progress.ran(e.getKey());
      }
      best.put(e.getKey(), top.make());
      chosen.put(e.getKey(), top.parameters());
      sweeps.put(e.getKey(), sweep);
    }

    Map<String, List<Backend.Outcome>> repeats = new LinkedHashMap<>();
    best.keySet().forEach(k -> repeats.put(k, new ArrayList<>()));
    for (Backend backend : setup.repeats()) {
      for (var e : best.entrySet()) {
        repeats.get(e.getKey()).add(backend.run(e.getValue().get(), setup.schedule()));
        progress.ran(e.getKey());
      }
    }
    Map<String, Object> policies = new LinkedHashMap<>();
    Map<String, Backend.Outcome> medians = new LinkedHashMap<>();
    for (var e : repeats.entrySet()) {
      List<Backend.Outcome> outcomes = e.getValue();
      Spread spread =
          Spread.of(outcomes.stream().mapToDouble(Backend.Outcome::successesPerSecond).toArray());
      Backend.Outcome median = closest(outcomes, spread.median());
      medians.put(e.getKey(), median);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("throughput_per_s", spread.median());
      figures.put("throughput_spread", spread);
      figures.put("success_rate", median.successRate());
      figures.put("p95_ms", median.p95LatencyMs());
      figures.put("mean_limit", median.meanLimit());
      figures.put("parameters", chosen.get(e.getKey()));
      policies.put(e.getKey(), figures);
    }
    double adaptive = throughput(policies, "adaptive");
    double bestNetflix =
        Math.max(
            throughput(policies, "vegas"),
            Math.max(throughput(policies, "gradient2"), throughput(policies, "aimd")));
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("adaptive_over_static_best", adaptive / throughput(policies, "static_best"));
    ratios.put("adaptive_over_best_netflix", adaptive / bestNetflix);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("policies", policies);
    fields.put("ratios", ratios);
    fields.put("repeats", setup.repeats().size());
    fields.put("run_seconds", setup.schedule().seconds());
    fields.put("warmup_seconds", setup.schedule().warmupSeconds());
    fields.put("sweeps", sweeps);
    fields.put("halving", halving(setup, best, progress));
    return new Result(fields, medians);
  }

  private static int sweepFixed(
      Backend backend,
      List<Integer> limits,
      Backend.Schedule schedule,
      List<Object> sweep,
      Progress progress) {
    int bestLimit = limits.get(0);
    double bestThroughput = -1;
    for (int limit : limits) {
      double t = backend.run(Limiter.fixed(limit), schedule).successesPerSecond();
      sweep.add(List.of(limit, t));
      if (t > bestThroughput) {
        bestThroughput = t;
        bestLimit = limit;
      }
      progress.ran("static " + limit);
    }
    return bestLimit;
  }

  private static Map<String, Object> halving(
      Setup setup, Map<String, Supplier<Limiter>> best, Progress progress) {
    Backend.Schedule halving = setup.halving();
    List<Object> sweep = new ArrayList<>();
    int newLimit =
        sweepFixed(setup.halved(), setup.halvedFixedLimits(), setup.schedule(), sweep, progress);
    double newBest =
        sweep.stream()
            .mapToDouble(o -> ((Number) ((List<?>) o).get(1)).doubleValue())
            .max()
            .orElseThrow();
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
