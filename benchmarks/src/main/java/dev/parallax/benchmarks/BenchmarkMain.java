package dev.parallax.benchmarks;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
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
      }
      if (cli.sleep()) {
        out.println();
        out.println("Sleep scenarios (wall time, System.nanoTime, medians)");
        figures.addAll(new SleepScenarios(sleepSettings(cli), out).run());
      }
    } catch (RunnerException | RuntimeException e) {
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
          .forks(1)
          .warmupIterations(2)
          .warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(3)
          .measurementTime(TimeValue.milliseconds(500));
    }
    return options.build();
  }

  private static SleepScenarios.Settings sleepSettings(CliArgs cli) {
    return cli.quick() ? SleepScenarios.Settings.quick() : SleepScenarios.Settings.full();
  }

  private static void printSummary(PrintStream out, CliArgs cli, List<Figure> figures) {
    String rule = "=".repeat(100);
    SleepScenarios.Settings sleep = sleepSettings(cli);
    out.println();
    out.println(rule);
    out.println(
        "Parallax benchmarks - summary (every ratio against a baseline measured in this run)");
    out.println(
        "mode: "
            + (cli.quick() ? "QUICK (smoke test: short runs, not figures to report)" : "full")
            + " | JDK "
            + Runtime.version()
            + " | "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs | "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch")
            + " | "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out.println(
        "JMH: "
            + (cli.quick()
                ? "1 fork, 2x500ms warm-up, 3x500ms measurement"
                : "2 forks, 5x1s warm-up, 5x1s measurement")
            + ", include "
            + cli.include()
            + " | sleep: "
            + sleep.warmups()
            + "+"
            + sleep.repetitions()
            + " rounds, fast: "
            + sleep.fastWarmups()
            + "+"
            + sleep.fastRepetitions()
            + " rounds (warm-up+measured)");
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
