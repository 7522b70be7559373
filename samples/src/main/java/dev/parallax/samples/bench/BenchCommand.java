package dev.parallax.samples.bench;

import dev.parallax.samples.bench.model.BenchReport;
import dev.parallax.samples.bench.model.Machine;
import dev.parallax.samples.bench.model.WorkloadResult;
import dev.parallax.samples.bench.output.HtmlReport;
import dev.parallax.samples.bench.output.JsonReport;
import dev.parallax.samples.bench.workload.BenchWorkload;
import dev.parallax.samples.bench.workload.ProgressListener;
import dev.parallax.samples.bench.workload.Sizes;
import dev.parallax.samples.bench.workload.WorkloadContext;
import dev.parallax.samples.bench.workload.Workloads;
import dev.parallax.samples.cli.Terminal;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parallax bench}: runs the benchmark workloads in this process, every policy of a workload
 * one after another on the same calls, prints the figures and writes them as JSON and HTML.
 *
 * <p>Exit status 0 when the workloads ran (whatever their figures), 2 on bad input (an unknown
 * workload, an unwritable output file, a malformed option), 1 when a workload failed. Errors are
 * one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures Parallax in this process: each workload runs all its policies one after another on"
          + " the same calls, and every ratio compares figures measured in this run.",
      "Takes a few minutes with every workload; --quick takes seconds."
    },
    footerHeading = "%nWorkloads:%n")
public final class BenchCommand implements Callable<Integer> {

  /** Tribuo logs every training at INFO; held here because loggers are weakly referenced. */
  private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

  @Spec CommandSpec spec;

  @Option(
      names = {"-w", "--workload"},
      paramLabel = "NAME",
      split = ",",
      completionCandidates = WorkloadNames.class,
      description =
          "A workload to run: ${COMPLETION-CANDIDATES} (repeat or separate by commas;"
              + " all when none is named).")
  List<String> workloads = new ArrayList<>();

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed every random choice derives from (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
  @Nullable Path json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Write a self-contained HTML report with charts.")
  @Nullable Path html;

  @Option(
      names = "--quick",
      description = "Shrink every workload to a smoke test: seconds, figures too thin to report.")
  boolean quick;

  @Option(
      names = "--graphs",
      paramLabel = "N",
      description = "Test graphs of the graphs workload (default 200; 3 with --quick).")
  @Nullable Integer graphs;

  @Option(names = "--no-progress", description = "Print no progress on stderr.")
  boolean noProgress;

  @Option(names = "--verbose", description = "Print the stack trace of an error.")
  boolean verbose;

  /** The names of the workloads, for the help. */
  static final class WorkloadNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Workloads.names().iterator();
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String running = "";
    try {
      List<BenchWorkload> selected = select();
      Sizes sizes = sizes();
      OutputFile.checkWritable("--json", json);
      OutputFile.checkWritable("--html", html);
      if (json != null && html != null && json.toAbsolutePath().equals(html.toAbsolutePath())) {
        throw new BadInputException("--json and --html name the same file: " + json);
      }
      TRIBUO.setLevel(Level.WARNING);
      BenchProgress bar =
          noProgress ? null : new BenchProgress(err, Terminal.stderrIsTerminal(), selected.size());
      Map<String, WorkloadResult> results = new LinkedHashMap<>();
      Map<String, Double> elapsed = new LinkedHashMap<>();
      for (BenchWorkload workload : selected) {
        running = workload.name();
        if (bar != null) {
          bar.startWorkload(workload.name());
        }
        long start = System.nanoTime();
        WorkloadResult result =
            workload.run(
                new WorkloadContext(seed, sizes, bar == null ? ProgressListener.NONE : bar));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (bar != null) {
          bar.endWorkload(seconds);
        }
        results.put(workload.name(), result);
        elapsed.put(workload.name(), seconds);
      }
      running = "";
      BenchReport report = new BenchReport(seed, quick, Machine.current(), results, elapsed);
      Summary.print(out, report);
      write(report, out);
      return 0;
    } catch (BadInputException e) {
      return fail(err, e.getMessage(), e, CommandLine.ExitCode.USAGE);
    } catch (RuntimeException e) {
      String where = running.isEmpty() ? "" : "workload " + running + " failed: ";
      return fail(err, where + e, e, CommandLine.ExitCode.SOFTWARE);
    }
  }

  private List<BenchWorkload> select() {
    try {
      return Workloads.select(workloads);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  private Sizes sizes() {
    Sizes sizes = quick ? Sizes.quick() : Sizes.full();
    if (graphs != null) {
      if (graphs < 1) {
        throw new BadInputException("--graphs must be at least 1, was " + graphs);
      }
      sizes = sizes.withTestGraphs(graphs);
    }
    return sizes;
  }

  private void write(BenchReport report, PrintWriter out) {
    try {
      if (json != null) {
        JsonReport.write(report, json);
        out.println("JSON written to " + json);
      }
      if (html != null) {
        HtmlReport.write(report, html);
        out.println("HTML written to " + html);
      }
    } catch (UncheckedIOException e) {
      throw new BadInputException(e.getMessage(), e);
    } finally {
      out.flush();
    }
  }

  private int fail(PrintWriter err, String message, Exception e, int status) {
    boolean hint = !verbose && status != CommandLine.ExitCode.USAGE;
    err.println("parallax bench: " + message + (hint ? " (--verbose shows the stack trace)" : ""));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  /**
   * Adds what the {@code bench} subcommand of {@code root} needs beyond its annotations: the list
   * of workloads at the end of its help, and one-line errors for a malformed command line (see
   * {@link #oneLineErrors}).
   */
  public static void install(CommandLine root) {
    root.setParameterExceptionHandler(oneLineErrors(root.getParameterExceptionHandler()));
    CommandLine bench = root.getSubcommands().get("bench");
    if (bench != null) {
      List<String> footer = new ArrayList<>();
      for (BenchWorkload workload : Workloads.all()) {
        footer.add(
            String.format(
                java.util.Locale.ROOT,
                "  %-9s %s",
                workload.name(),
                workload.description().replace("%", "%%")));
      }
      footer.add("");
      footer.add("Exit status: 0 done, 1 a workload failed, 2 bad input.");
      bench.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    }
  }

  /**
   * Wraps {@code fallback} so that a malformed {@code bench} command line is reported as one line
   * on stderr (exit status 2) instead of the message and the whole usage; other commands keep
   * {@code fallback}'s behaviour.
   */
  public static CommandLine.IParameterExceptionHandler oneLineErrors(
      CommandLine.IParameterExceptionHandler fallback) {
    return (ex, args) -> {
      CommandLine cli = ex.getCommandLine();
      if (!(cli.getCommand() instanceof BenchCommand)) {
        return fallback.handleParseException(ex, args);
      }
      cli.getErr().println("parallax bench: " + ex.getMessage() + " (see 'parallax bench --help')");
      cli.getErr().flush();
      return CommandLine.ExitCode.USAGE;
    };
  }
}
