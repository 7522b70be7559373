package dev.parallax.samples.cli;

import dev.parallax.samples.bench.BenchCommand;
import dev.parallax.samples.demo.SeedScenarios;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code parallax} command line. */
@Command(
    name = "parallax",
    mixinStandardHelpOptions = true,
    version = "parallax 0.1.0-SNAPSHOT",
    description = "Runs AI-agent tool calls in parallel, safely and fast.",
    subcommands = {ParallaxCli.Demo.class, BenchCommand.class})
public final class ParallaxCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** Runs the command line and returns its exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new ParallaxCli());
    cli.setOut(out);
    cli.setErr(err);
    BenchCommand.install(cli);
    return cli.execute(args);
  }

  /** Entry point. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  /** {@code parallax demo}: the six seed scenarios, run for real. */
  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Runs the six scenarios Parallax started from (basic parallel, sequential vs parallel,"
              + " concurrency limits, error handling, retry, timeout) and prints the times"
              + " measured. Takes a few seconds; needs no server.")
  static final class Demo implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.println("=== Parallax demo ===");
      new SeedScenarios(out).runAll();
      out.println();
      out.println("=== Demo complete ===");
      out.flush();
      return 0;
    }
  }
}
