package dev.parallax.benchmarks;

import java.util.List;

/**
 * The command line of {@link BenchmarkMain}.
 *
 * @param quick short JMH settings and few repetitions, for smoke tests
 * @param include the JMH include regex
 * @param jmh whether to run the JMH overhead benchmark
 * @param sleep whether to run the sleep scenarios
 * @param help whether to print the usage and stop
 */
record CliArgs(boolean quick, String include, boolean jmh, boolean sleep, boolean help) {

  /** The default JMH include regex: the overhead benchmark only. */
  static final String DEFAULT_INCLUDE =
      "^("
          + OverheadBenchmark.class.getName().replace(".", "\\.")
          + "|"
          + PredictionBenchmark.class.getName().replace(".", "\\.")
          + ")";

  static final String USAGE =
      """
      usage: java -jar benchmarks/target/benchmarks.jar [--quick] [--include REGEX | REGEX]
                                                        [--skip-jmh] [--skip-sleep] [--help]
        --quick        short JMH settings and few repetitions: a smoke test, not figures to report
        --include RE   JMH include regex (default: the overhead and prediction benchmarks); a bare argument too
        --skip-jmh     do not run the JMH overhead benchmark
        --skip-sleep   do not run the sleep scenarios
      """;

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException on an unknown option or a missing value
   */
  static CliArgs parse(List<String> args) {
    boolean quick = false;
    String include = DEFAULT_INCLUDE;
    boolean jmh = true;
    boolean sleep = true;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--quick" -> quick = true;
        case "--skip-jmh" -> jmh = false;
        case "--skip-sleep" -> sleep = false;
        case "--help", "-h" -> help = true;
        case "--include" -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("--include needs a regex");
          }
          include = args.get(++i);
        }
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          include = arg;
        }
      }
    }
    return new CliArgs(quick, include, jmh, sleep, help);
  }
}
