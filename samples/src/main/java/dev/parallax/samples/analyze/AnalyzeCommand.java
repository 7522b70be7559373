package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parallax analyze}: reads recorded workflows and reports per-tool statistics, the learned
 * latency model's accuracy, the critical path and lower bound, and the simulated makespans under
 * FIFO, learned and oracle priority. Exit status 0 on success, 2 on bad input or options (one line
 * on standard error, a stack trace only with {@code --verbose}), 1 when a report cannot be written.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Trace-driven analysis of recorded workflows: per-tool latency and success, how well the"
          + " learned latency model predicts held-out tasks next to the per-tool mean, the recorded"
          + " critical path and the lower bound max(critical path, total work / N), and the"
          + " makespan the virtual-time simulator gives at concurrency N under FIFO, learned"
          + " priority and oracle priority (longest path first with predicted or true durations).",
      "",
      "Inputs: OTLP-JSON trace files (one ExportTraceServiceRequest per line, as Parallax's trace"
          + " exporter writes them; each Parallax run is one workflow, its graph rebuilt from the"
          + " parallax.depends_on span attribute; runs are taken one after another, so a file's"
          + " figures are sums over its runs) and WfCommons WfFormat instances (schema 1.5, 1.6"
          + " and 1.4: tasks, parents and children, runtimeInSeconds; a task's tool is its"
          + " command.program). Features per task: bytes read and written, input and output file"
          + " sizes and counts, numbers of parents and children, cores (WfFormat), or the"
          + " parallax.feature.* span attributes (OTLP).",
      "",
      "How the model learns (--train-on): 'rest' (default): for each input, the model learns from"
          + " every task of the other inputs and four of every five tasks of this input, and is"
          + " scored on this input's 5th, 10th, 15th... task in file order (its last task if it has"
          + " fewer than five). 'others': it learns from the other inputs only and is scored on"
          + " every task of this input. The score is the mean absolute error of the natural log of"
          + " latency; the baseline predicts each task's tool's mean log latency over the same"
          + " training tasks. The learned-priority simulation uses that same trained model. Bytes"
          + " written and output sizes are measured as a task runs, so a model using them knows a"
          + " little more than a scheduler would before the task starts.",
      "",
      "Simulation: every task lasts its recorded runtime and tasks that failed fail again"
          + " (their dependents are skipped). FIFO starts ready tasks in file order (OTLP: in the"
          + " order the calls started), which may differ from how the recorded run was scheduled.",
      ""
    },
    footer = {
      "",
      "Exit status: 0 done; 1 a report could not be written; 2 bad input (missing file, malformed"
          + " JSON, unknown format, a cycle, a task without runtime, a bad option value)."
    })
public final class AnalyzeCommand implements Callable<Integer> {

  /** Tribuo logs every training at INFO on standard error; kept here so it is not collected. */
  private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

  @Spec @Nullable CommandSpec spec;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description = "OTLP-JSON trace files or WfFormat instances.")
  List<Path> files = List.of();

  @Option(
      names = "--format",
      paramLabel = "otlp|wfformat",
      description = "Read every FILE in this format (default: told from each file's content).")
  @Nullable String format;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "8",
      description = "Slots in the simulation and the lower bound (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the figures as JSON to FILE.")
  @Nullable Path json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Also write a self-contained HTML report (inline SVG) to FILE.")
  @Nullable Path html;

  @Option(
      names = "--train-on",
      paramLabel = "rest|others",
      defaultValue = "rest",
      description = "What the model learns from before it is scored on an input; see above.")
  String trainOn = "rest";

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the model training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Draw a progress bar on standard error (default: only for "
              + Analyzer.LONG_WORK_FILES
              + " files or more, or 5 MB of input).")
  @Nullable Boolean progress;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() {
    CommandSpec s = java.util.Objects.requireNonNull(spec, "spec");
    PrintWriter out = s.commandLine().getOut();
    PrintWriter err = s.commandLine().getErr();
    Level tribuoLevel = TRIBUO.getLevel();
    if (!verbose) {
      TRIBUO.setLevel(Level.WARNING);
    }
    try {
      TrainingSplit split = TrainingSplit.parse(trainOn);
      InputFormat inputFormat = format == null ? null : InputFormat.parse(format);
      requireWritable("--json", json);
      requireWritable("--html", html);
      Analyzer analyzer = new Analyzer(concurrency, split, seed);
      List<InputAnalysis> analyses = analyzer.analyze(files, inputFormat, err, progress);
      TextReport.print(analyses, out);
      if (json != null) {
        ObjectNode report = JsonReport.of(analyses, concurrency, split);
        write(() -> JsonReport.write(report, json), json);
        out.println("JSON written to " + json);
      }
      if (html != null) {
        write(() -> HtmlReport.write(analyses, concurrency, html), html);
        out.println("HTML written to " + html);
      }
      out.flush();
      return 0;
    } catch (BadInputException e) {
      return fail(err, e, 2);
    } catch (ReportException e) {
      return fail(err, e, 1);
    } finally {
      TRIBUO.setLevel(tribuoLevel);
    }
  }

  private int fail(PrintWriter err, RuntimeException e, int status) {
    err.println("parallax analyze: " + e.getMessage());
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  private static void requireWritable(String option, @Nullable Path file) {
    if (file == null) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new BadInputException(
          "cannot write " + option + " " + file + ": directory " + parent + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new BadInputException("cannot write " + option + " " + file + ": it is a directory");
    }
  }

  private interface Writing {
    void run() throws IOException;
  }

  private static void write(Writing writing, Path file) {
    try {
      writing.run();
    } catch (IOException e) {
      throw new ReportException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** A report that could not be written. */
  private static final class ReportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReportException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
