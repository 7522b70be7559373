package dev.parallax.benchmarks;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the Parallax benchmarks and prints their figures: the JMH {@link OverheadBenchmark} through
 * the JMH Runner API, then the {@link SleepScenarios}, then a summary block of every ratio with its
 * target and PASS or MISS. Every ratio is against a baseline measured in the same run.
 *
 * <p>Usage: {@code java -jar benchmarks/target/benchmarks.jar [--quick] [--include REGEX]
 * [--skip-jmh] [--skip-sleep]}; see {@link CliArgs#USAGE}. Exit status 0 when the benchmarks ran
 * (whatever their verdicts), 2 on bad arguments, 1 when a benchmark failed.
 */
public final class BenchmarkMain {

  // --quick: forks, measurement iterations (warm-up has one fewer) and the time of each iteration
  private static final int QUICK_FORKS = 1;
  private static final int QUICK_ITERATIONS = 3;
  private static final TimeValue QUICK_TIME = TimeValue.milliseconds(500);

  private BenchmarkMain() {}

  /** Runs the benchmarks; see the class comment for the arguments. */
  public static void main(String[] args) {
    PrintStream out = System.out;
    CliArgs cli;
    try {
      cli = CliArgs.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(CliArgs.USAGE);
      System.exit(2);
      return;
    }
    if (cli.help()) {
      out.print(CliArgs.USAGE);
      return;
    }
    List<Figure> figures = new ArrayList<>();
    try {
      if (cli.jmh()) {
        Collection<RunResult> results = new Runner(jmhOptions(cli)).run();
        OverheadReport report = new OverheadReport(results);
        report.print(out);
        figures.addAll(report.figures());
        figures.addAll(PredictionReport.figures(results));
      }
      if (cli.sleep()) {
        out.println();
        out.println("Sleep scenarios (wall time, System.nanoTime, medians)");
        figures.addAll(new SleepScenarios(sleepSettings(cli), out).run());
      }
    } catch (RunnerException e) {
      System.err.println("JMH failed: " + e);
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      System.err.println("benchmark failed: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    printSummary(out, cli, figures);
  }

  /** The JMH options: the benchmark's own annotations, shortened by {@code --quick}. */
  static Options jmhOptions(CliArgs cli) {
    ChainedOptionsBuilder options =
        new OptionsBuilder().include(cli.include()).shouldFailOnError(true);
    if (cli.quick()) {
      options
          .forks(QUICK_FORKS)
          .warmupIterations(QUICK_ITERATIONS - 1)
          .warmupTime(QUICK_TIME)
          .measurementIterations(QUICK_ITERATIONS)
          .measurementTime(QUICK_TIME);
    }
    return options.build();
  }

  /** The JMH settings in use, as one line. */
  private static String describeJmh(CliArgs cli) {
    if (cli.quick()) {
      return String.format(
          Locale.ROOT,
          "%d fork, %dx%s warm-up, %dx%s measurement",
          QUICK_FORKS,
          QUICK_ITERATIONS - 1,
          QUICK_TIME,
          QUICK_ITERATIONS,
          QUICK_TIME);
    }
    Fork fork = OverheadBenchmark.class.getAnnotation(Fork.class);
    Warmup warmup = OverheadBenchmark.class.getAnnotation(Warmup.class);
    Measurement measurement = OverheadBenchmark.class.getAnnotation(Measurement.class);
    return String.format(
        Locale.ROOT,
        "%d forks, %dx%d%s warm-up, %dx%d%s measurement",
        fork.value(),
        warmup.iterations(),
        warmup.time(),
        TimeValue.tuToString(warmup.timeUnit()),
        measurement.iterations(),
        measurement.time(),
        TimeValue.tuToString(measurement.timeUnit()));
  }

  private static SleepScenarios.Settings sleepSettings(CliArgs cli) {
    return cli.quick() ? SleepScenarios.Settings.quick() : SleepScenarios.Settings.full();
  }

  private static void printSummary(PrintStream out, CliArgs cli, List<Figure> figures) {
    String rule = "=".repeat(100);
    out.println();
    out.println(rule);
    out.println(
        "Parallax benchmarks - summary (every ratio against a baseline measured in this run)");
    out.printf(
        Locale.ROOT,
        "mode: %s | JDK %s | %d CPUs | %s %s | %s%n",
        cli.quick() ? "QUICK (smoke test: short runs, not figures to report)" : "full",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
    if (cli.jmh()) {
      out.printf("JMH: %s, include %s%n", describeJmh(cli), cli.include());
    }
    if (cli.sleep()) {
      SleepScenarios.Settings sleep = sleepSettings(cli);
      out.printf(
          "sleep scenarios: %d+%d rounds of 100 ms runs, %d+%d rounds of 0.1 ms runs"
              + " (warm-up+measured)%n",
          sleep.warmups(), sleep.repetitions(), sleep.fastWarmups(), sleep.fastRepetitions());
    }
    out.println("-".repeat(100));
    for (Figure figure : figures) {
      out.println(figure.line());
    }
    out.println("-".repeat(100));
    out.printf(
        "PASS %d, MISS %d, n/a %d%n",
        count(figures, Figure.Verdict.PASS),
        count(figures, Figure.Verdict.MISS),
        count(figures, Figure.Verdict.NA));
    out.println(rule);
  }

  private static long count(List<Figure> figures, Figure.Verdict verdict) {
    return figures.stream().filter(f -> f.verdict() == verdict).count();
  }
}
