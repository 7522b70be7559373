package dev.parallax.benchmarks;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Wall-clock scenarios with tools that sleep, measured with {@link System#nanoTime} in a plain loop
 * (warm-up, then repetitions; medians reported): what parallel execution buys over sequential
 * execution, whether the concurrency limit shapes the run as it should, and whether running very
 * short calls in parallel is never slower than running them one after another.
 */
/*
 * These are not JMH microbenchmarks: each repetition takes 0.1 ms to 1 s of mostly sleeping, and
 * what matters is the wall time a caller waits, so a plain loop of System.nanoTime around one
 * blocking run is the honest measure. Every ratio compares two variants measured in the same loop
 * with the same executor, tools and calls; the variants are interleaved and their order rotated
 * from round to round (see Interleaved), so load from elsewhere on the machine hits both sides.
 *
 * (a) Four 100 ms tools, executeSequential against executeParallel: ideally 400 ms against 100 ms,
 *     so the speedup sequential / parallel should be close to 4 (target >= 3.9).
 * (b) Ten 100 ms tools in parallel with maxConcurrency 2, 5 and 10 (a per-plan limit): ideally
 *     5, 2 and 1 waves of 100 ms. The unit is one 100 ms tool run alone through the same executor,
 *     measured in the same loop, so time / unit should be 5, 2 and 1 (PASS within -5%..+10%: less
 *     than the ideal would mean the limit was exceeded, more means overhead or lost capacity). The
 *     tools also record the peak number of bodies running at once, which must equal the limit.
 * (c) Five tools of 0.1 ms each in parallel against sequential: with such short calls the cost of
 *     starting threads is comparable to the work itself; the target is that parallel is not slower
 *     (parallel / sequential <= 1.0). Thousands of repetitions, median and mean reported.
 */
public final class SleepScenarios {

  /** How long a slow tool sleeps. */
  static final Duration SLOW = Duration.ofMillis(100);

  /** How long a fast tool sleeps. */
  static final Duration FAST = Duration.ofNanos(100_000);

  /**
   * How many runs to make.
   *
   * @param warmups unmeasured rounds of the 100 ms scenarios
   * @param repetitions measured rounds of the 100 ms scenarios
   * @param fastWarmups unmeasured rounds of the 0.1 ms scenario
   * @param fastRepetitions measured rounds of the 0.1 ms scenario
   */
  public record Settings(int warmups, int repetitions, int fastWarmups, int fastRepetitions) {

    /** Settings for figures worth reporting. */
    public static Settings full() {
      return new Settings(2, 7, 1000, 2000);
    }

    /** Settings for a smoke test. */
    public static Settings quick() {
      return new Settings(1, 3, 200, 500);
    }
  }

  private final Settings settings;
  private final PrintStream out;

  /** Scenarios that print their progress and measurements to {@code out}. */
  public SleepScenarios(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs all scenarios and returns their figures. */
  public List<Figure> run() {
    List<Figure> figures = new ArrayList<>();
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      figures.add(sequentialVersusParallel(executor));
      figures.addAll(concurrencyLimits(executor));
      figures.add(fastTools(executor));
    }
    return figures;
  }

  private Figure sequentialVersusParallel(ToolExecutor executor) {
    out.println("(a) 4 tools of 100 ms: sequential vs parallel ...");
    ConcurrencyGauge sequentialGauge = new ConcurrencyGauge();
    ConcurrencyGauge parallelGauge = new ConcurrencyGauge();
    List<ToolCall<Integer, Integer>> sequential = calls(4, sleeper("seq", SLOW, sequentialGauge));
    List<ToolCall<Integer, Integer>> parallel = calls(4, sleeper("par", SLOW, parallelGauge));
    List<Samples> times =
        Interleaved.time(
            settings.warmups(),
            settings.repetitions(),
            List.of(
                () -> executor.executeSequential(sequential),
                () -> executor.executeParallel(parallel)));
    Samples seq = times.get(0);
    Samples par = times.get(1);
    out.println("    sequential " + seq.describeMillis() + ", peak " + sequentialGauge.peak());
    out.println("    parallel   " + par.describeMillis() + ", peak " + parallelGauge.peak());
    double speedup = seq.medianNanos() / par.medianNanos();
    return new Figure(
        "(a) 4x100ms speedup sequential/parallel",
        speedup,
        ">= 3.9x",
        Figure.Verdict.of(speedup >= 3.9 && sequentialGauge.peak() == 1),
        String.format(
            Locale.ROOT,
            "seq %.1f ms, par %.1f ms (medians), peak running %d/%d",
            seq.medianMillis(),
            par.medianMillis(),
            sequentialGauge.peak(),
            parallelGauge.peak()));
  }

  private List<Figure> concurrencyLimits(ToolExecutor executor) {
    out.println("(b) 10 tools of 100 ms at maxConcurrency 2, 5, 10 vs one tool alone ...");
    int[] limits = {2, 5, 10};
    List<Supplier<RunResult>> variants = new ArrayList<>();
    List<ConcurrencyGauge> gauges = new ArrayList<>();
    List<ToolCall<Integer, Integer>> alone =
        calls(1, sleeper("alone", SLOW, new ConcurrencyGauge()));
    variants.add(() -> executor.executeParallel(alone));
    for (int limit : limits) {
      ConcurrencyGauge gauge = new ConcurrencyGauge();
      gauges.add(gauge);
      ExecutionPlan plan =
          ExecutionPlan.parallel(calls(10, sleeper("limit-" + limit, SLOW, gauge)))
              .withMaxConcurrency(limit);
      variants.add(() -> executor.execute(plan));
    }
    List<Samples> times = Interleaved.time(settings.warmups(), settings.repetitions(), variants);
    Samples unit = times.get(0);
    out.println("    one tool alone          " + unit.describeMillis());
    List<Figure> figures = new ArrayList<>();
    for (int i = 0; i < limits.length; i++) {
      int limit = limits[i];
      Samples samples = times.get(i + 1);
      int peak = gauges.get(i).peak();
      out.printf(
          Locale.ROOT,
          "    maxConcurrency %-2d       %s, peak %d%n",
          limit,
          samples.describeMillis(),
          peak);
      double ratio = samples.medianNanos() / unit.medianNanos();
      double ideal = Math.ceil(10.0 / limit);
      boolean met = ratio >= 0.95 * ideal && ratio <= 1.10 * ideal && peak == limit;
      figures.add(
          new Figure(
              "(b) 10x100ms @maxConcurrency " + limit + ": time/100ms",
              ratio,
              String.format(Locale.ROOT, "~%.0fx", ideal),
              Figure.Verdict.of(met),
              String.format(
                  Locale.ROOT,
                  "%.1f ms / %.1f ms (one tool alone), peak running %d",
                  samples.medianMillis(),
                  unit.medianMillis(),
                  peak)));
    }
    return figures;
  }

  private Figure fastTools(ToolExecutor executor) {
    out.println("(c) 5 tools of 0.1 ms: parallel vs sequential ...");
    List<ToolCall<Integer, Integer>> sequential =
        calls(5, sleeper("fast-seq", FAST, new ConcurrencyGauge()));
    List<ToolCall<Integer, Integer>> parallel =
        calls(5, sleeper("fast-par", FAST, new ConcurrencyGauge()));
    List<Samples> times =
        Interleaved.time(
            settings.fastWarmups(),
            settings.fastRepetitions(),
            List.of(
                () -> executor.executeSequential(sequential),
                () -> executor.executeParallel(parallel)));
    Samples seq = times.get(0);
    Samples par = times.get(1);
    out.printf(
        Locale.ROOT,
        "    sequential median %.1f us, mean %.1f us (n=%d)%n",
        seq.medianMicros(),
        seq.meanMicros(),
        seq.count());
    out.printf(
        Locale.ROOT,
        "    parallel   median %.1f us, mean %.1f us (n=%d)%n",
        par.medianMicros(),
        par.meanMicros(),
        par.count());
    double medianRatio = par.medianNanos() / seq.medianNanos();
    double meanRatio = par.meanNanos() / seq.meanNanos();
    return new Figure(
        "(c) 5x0.1ms parallel/sequential (median)",
        medianRatio,
        "<= 1.0x",
        Figure.Verdict.of(medianRatio <= 1.0),
        String.format(
            Locale.ROOT,
            "par %.1f us vs seq %.1f us (medians); means %.1f vs %.1f us, mean ratio %.2fx",
            par.medianMicros(),
            seq.medianMicros(),
            par.meanMicros(),
            seq.meanMicros(),
            meanRatio));
  }

  /** A tool that sleeps for {@code duration} and returns its input, counted by {@code gauge}. */
  private static Tool<Integer, Integer> sleeper(
      String name, Duration duration, ConcurrencyGauge gauge) {
    return Tools.named("sleep-" + name)
        .input(Integer.class)
        .function(
            (input, ctx) -> {
              gauge.enter();
              try {
                Thread.sleep(duration);
              } finally {
                gauge.exit();
              }
              return input;
            });
  }

  private static List<ToolCall<Integer, Integer>> calls(int count, Tool<Integer, Integer> tool) {
    return IntStream.range(0, count).mapToObj(i -> ToolCall.of("call-" + i, tool, i)).toList();
  }
}
