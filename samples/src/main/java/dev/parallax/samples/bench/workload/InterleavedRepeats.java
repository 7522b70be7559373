package dev.parallax.samples.bench.workload;

import dev.parallax.samples.bench.model.Spread;
import dev.parallax.samples.bench.model.Stats;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times several variants of the same short run in repeats, and reports each variant's cost relative
 * to a baseline as the median and min–max over the repeats.
 */
/*
 * Why this shape (the overhead figure used to swing from 0.76x to 1.9x between runs):
 *
 * - One short run (a fan-out of 100 no-op calls takes ~0.1 ms) timed alone is at the mercy of the
 *   virtual-thread scheduler: whether a carrier thread is parked or spinning decides whether the run
 *   takes 0.1 or 0.9 ms, so the time of a single run is bimodal and its median jumps between the
 *   modes from one run to the next. A sample here is therefore runsPerSample runs back to back
 *   (the same steady state JMH measures), timed as one, and reported per run.
 * - Variants alternate sample by sample, with the order rotated each time, so drifting machine
 *   load (two cores shared with builds), JIT compilation and garbage collection reach every variant
 *   alike; a ratio is only ever formed between samples of the same repeat.
 * - Each repeat yields one ratio per variant: the median, over the repeat's turns, of the variant's
 *   sample divided by the baseline's sample of the same turn (adjacent in time, so a burst of load
 *   from another process reaches both). A variant that leaves work in the background (telemetry
 *   export) settles it inside its own sample, not in the next variant's. Whole repeats are the unit of spread: the report is the median of the
 *   repeat ratios, with their min and max, so one unlucky repeat shows in the spread and not in the
 *   headline.
 * - The first warmupRepeats repeats run exactly like the others (same variants, same order
 *   rotation, so the JIT and the scheduler are warmed up equally for every variant) and are
 *   discarded. Between repeats betweenRepeats runs (the workload collects garbage there, so every
 *   repeat starts from a similar heap).
 */
final class InterleavedRepeats {

  /** One variant: does one run, blocking until it is done. */
  @FunctionalInterface
  interface Variant {
    /** Runs once; returns how many of its calls succeeded. */
    int runOnce();

    /**
     * Waits, at the end of each sample and inside its time, for work the runs left going in the
     * background (a telemetry export queue), so that it is charged to this variant and not to
     * whichever variant runs next. Does nothing by default.
     */
    default void settle() {}
  }

  /**
   * How much to measure.
   *
   * @param warmupRepeats repeats run and discarded first
   * @param repeats measured repeats
   * @param samplesPerRepeat samples of each variant in one repeat
   * @param runsPerSample runs timed together as one sample
   */
  record Settings(int warmupRepeats, int repeats, int samplesPerRepeat, int runsPerSample) {

    /** Checks the counts. */
    Settings {
      if (warmupRepeats < 0 || repeats < 1 || samplesPerRepeat < 1 || runsPerSample < 1) {
        throw new IllegalArgumentException(
            "need warm-up >= 0 and repeats, samples and runs >= 1, was "
                + warmupRepeats
                + ", "
                + repeats
                + ", "
                + samplesPerRepeat
                + ", "
                + runsPerSample);
      }
    }
  }

  /**
   * What was measured.
   *
   * @param nanosPerRun {@code [variant][repeat][sample]}: a sample's time divided by its runs, in
   *     nanoseconds; measured repeats only
   * @param runs runs of each variant, warm-up included
   * @param succeeded calls that succeeded in those runs, per variant
   */
  record Result(double[][][] nanosPerRun, long[] runs, long[] succeeded) {

    /** Each measured repeat's median time per run of {@code variant}, in nanoseconds. */
    double[] repeatMedians(int variant) {
      double[][] repeats = nanosPerRun[variant];
      double[] medians = new double[repeats.length];
      for (int r = 0; r < repeats.length; r++) {
        medians[r] = Stats.median(repeats[r]);
      }
      return medians;
    }

    /**
     * The time of {@code variant} over that of {@code baseline}, one figure per measured repeat:
     * the median over the repeat's turns of the two samples' ratio in that turn.
     */
    Spread ratio(int variant, int baseline) {
      double[][] ours = nanosPerRun[variant];
      double[][] base = nanosPerRun[baseline];
      double[] ratios = new double[ours.length];
      for (int r = 0; r < ours.length; r++) {
        double[] turns = new double[ours[r].length];
        for (int s = 0; s < turns.length; s++) {
          turns[s] = ours[r][s] / base[r][s];
        }
        ratios[r] = Stats.median(turns);
      }
      return Spread.of(ratios);
    }

    /** The median time per run of {@code variant} over the repeats, in nanoseconds. */
    double medianNanos(int variant) {
      return Stats.median(repeatMedians(variant));
    }

    /** Every measured sample of {@code variant}, in nanoseconds per run. */
    double[] samples(int variant) {
      return Arrays.stream(nanosPerRun[variant]).flatMapToDouble(Arrays::stream).toArray();
    }
  }

  private InterleavedRepeats() {}

  /**
   * Measures the variants; one progress step per repeat, warm-up included.
   *
   * @param ticker nanosecond time source ({@code System::nanoTime}; a fake one in tests)
   * @param betweenRepeats run before every repeat, outside the timed samples
   */
  static Result measure(
      Settings settings,
      List<Variant> variants,
      LongSupplier ticker,
      Runnable betweenRepeats,
      ProgressListener progress,
      String what) {
    int k = variants.size();
    if (k == 0) {
      throw new IllegalArgumentException("no variants");
    }
    int total = settings.warmupRepeats() + settings.repeats();
    double[][][] nanos = new double[k][settings.repeats()][settings.samplesPerRepeat()];
    long[] runs = new long[k];
    long[] succeeded = new long[k];
    progress.phase(what, total);
    int turn = 0;
    for (int repeat = 0; repeat < total; repeat++) {
      betweenRepeats.run();
      int measured = repeat - settings.warmupRepeats();
      for (int sample = 0; sample < settings.samplesPerRepeat(); sample++, turn++) {
        for (int j = 0; j < k; j++) {
          int v = (turn + j) % k;
          Variant variant = variants.get(v);
          int ok = 0;
          long start = ticker.getAsLong();
          for (int run = 0; run < settings.runsPerSample(); run++) {
            ok += variant.runOnce();
          }
          variant.settle();
          long elapsed = ticker.getAsLong() - start;
          runs[v] += settings.runsPerSample();
          succeeded[v] += ok;
          if (measured >= 0) {
            nanos[v][measured][sample] = (double) elapsed / settings.runsPerSample();
          }
        }
      }
      progress.step();
    }
    return new Result(nanos, runs, succeeded);
  }
}
