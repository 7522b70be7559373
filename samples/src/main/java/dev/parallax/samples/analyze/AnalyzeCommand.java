package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.analysis.Analysis;
import dev.parallax.analysis.AnalysisException;
import dev.parallax.analysis.AnalysisListener;
import dev.parallax.analysis.Analyzer;
import dev.parallax.analysis.FeatureSet;
import dev.parallax.analysis.InputAnalysis;
import dev.parallax.analysis.InputFormat;
import dev.parallax.analysis.LoioEvaluation;
import dev.parallax.analysis.MachineFeature;
import dev.parallax.analysis.TrainingSplit;
import dev.parallax.samples.cli.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parallax analyze}: argument parsing and formatting around the analysis library ({@link
 * Analyzer}): reads recorded workflows and reports per-tool statistics, the learned latency model's
 * accuracy, the critical path and lower bound, and the simulated makespans under FIFO, learned and
 * oracle priority. Exit status 0 on success, 2 on bad input or options (one line on standard error,
 * a stack trace only with {@code --verbose}), 1 when a report cannot be written.
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
      "Features (WfFormat): by default only what is known before a task starts: its program,"
          + " input files and their sizes (total, smallest, largest), declared outputs, parents"
          + " and children, cores, numeric command-line arguments. Bytes read and written and the"
          + " sizes of the outputs are measured as a task runs: they are used only with"
          + " --post-hoc-features, and every report made with them says so.",
      "",
      "Leave-one-instance-out (--loio): each directory FILE is one application whose .json"
          + " files are its instances (loose files are grouped by their directory). For each"
          + " instance, the model learns from every task of the application's other instances"
          + " and is scored on every task of this one, next to the per-tool mean of the same"
          + " training tasks: MAE of ln(latency) and their ratio with a 95% paired-bootstrap"
          + " interval, per instance and averaged; and the simulated makespan of learned priority"
          + " against FIFO at --concurrency slots (default 4 here).",
      "",
      "How the model learns (--train-on): 'rest' (default): for each input, the model learns from"
          + " every task of the other inputs and four of every five tasks of this input, and is"
          + " scored on this input's 5th, 10th, 15th... task in file order (its last task if it has"
          + " fewer than five). 'others': it learns from the other inputs only and is scored on"
          + " every task of this input. The score is the mean absolute error of the natural log of"
          + " latency; the baseline predicts each task's tool's mean log latency over the same"
          + " training tasks. The learned-priority simulation uses that same trained model.",
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

  /** Inputs from which the work counts as long and the progress bar shows by default. */
  static final int LONG_WORK_FILES = 10;

  /** Total input size from which the work counts as long. */
  static final long LONG_WORK_BYTES = 5_000_000;

  /** Tribuo logs every training at INFO on standard error; kept here so it is not collected. */
  private static MachineFeature parseMachine(String value) {
    for (MachineFeature m : MachineFeature.values()) {
      if (m.label().equals(value)) {
        return m;
      }
    }
    throw new BadInputException(
        "--machine must be reach-only, model-input or off, was '" + value + "'");
  }

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
      description = "Slots in the simulation and the lower bound (default: 8; 4 with --loio).")
  @Nullable Integer concurrency;

  @Option(
      names = "--loio",
      description =
          "Leave-one-instance-out evaluation per application (directory) instead of the"
              + " per-input report; see above. Not with --html or --train-on.")
  boolean loio;

  @Option(
      names = "--post-hoc-features",
      description =
          "Also learn from features measured as a task runs (bytes read and written, output"
              + " sizes); the report labels the figures as such.")
  boolean postHocFeatures;

  @Option(
      names = "--machine",
      paramLabel = "reach-only|model-input|off",
      description =
          "With --loio: what the machine a WfFormat task ran on is used for: only to bound the"
              + " model's reach (default), also as a model input, or not at all.")
  @Nullable String machine;

  @Option(
      names = "--no-unseen-value-rule",
      description =
          "With --loio: let the model answer for a task on a machine (a categorical value) its"
              + " tool never ran on in training (default: the tool's mean answers).")
  boolean noUnseenValueRule;

  @Option(
      names = "--latency-model",
      paramLabel = "TYPE",
      description =
          "The adaptive predictor's latency model type (e.g. LINEAR_SGD, CART; default: the"
              + " predictor's own).")
  @Nullable String latencyModel;

  @Option(
      names = "--neighbours",
      paramLabel = "store",
      description =
          "With --loio: also score k nearest neighbours (no gate) found by the embedded history"
              + " store's search (exact up to 20,000 tasks per tool) over every training task,"
              + " next to the newest 512 per tool (the in-memory model's) and exact search, with"
              + " the store's query time; the training tasks go to a store in a temp dir, deleted"
              + " after.")
  @Nullable String neighbours;

  @Option(
      names = "--neighbours-k",
      paramLabel = "K",
      defaultValue = "5",
      description = "With --neighbours: neighbours (default: ${DEFAULT-VALUE}).")
  int neighboursK;

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
      description =
          "What the model learns from before it is scored on an input (default: rest); see"
              + " above.")
  @Nullable String trainOn;

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
              + LONG_WORK_FILES
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
      TrainingSplit split = parseSplit(trainOn == null ? "rest" : trainOn);
      InputFormat inputFormat = format == null ? null : parseFormat(format);
      FeatureSet features = postHocFeatures ? FeatureSet.ALL : FeatureSet.PRE_CALL;
      LatencyModelType modelType = latencyModel == null ? null : parseModel(latencyModel);
      MachineFeature machineFeature =
          machine == null ? MachineFeature.REACH_ONLY : parseMachine(machine);
      requireWritable("--json", json);
      requireWritable("--html", html);
      int slots = concurrency != null ? concurrency : loio ? 4 : 8;
      if (slots < 1) {
        throw new BadInputException("--concurrency must be at least 1, was " + slots);
      }
      if (files.isEmpty()) {
        throw new BadInputException("no input files");
      }
      if (loio) {
        if (html != null || trainOn != null || format != null) {
          throw new BadInputException(
              "--loio cannot be combined with --html, --train-on or --format");
        }
        int storeK = 0;
        if (neighbours != null) {
          if (!neighbours.equals("store")) {
            throw new BadInputException(
                "unknown value '" + neighbours + "' for --neighbours: expected store");
          }
          if (neighboursK < 1 || neighboursK > 1000) {
            throw new BadInputException("--neighbours-k must be in [1, 1000], was " + neighboursK);
          }
          storeK = neighboursK;
        }
        List<LoioEvaluation> evaluations =
            LoioRun.evaluate(
                files,
                slots,
                seed,
                features,
                modelType,
                machineFeature,
                !noUnseenValueRule,
                storeK,
                progressShown(),
                err);
        LoioReport.print(evaluations, features, out);
        if (json != null) {
          ObjectNode report = LoioReport.json(evaluations, features, slots);
          report.put("machine", machineFeature.label());
          report.put("unseen_value_rule", !noUnseenValueRule);
          write(() -> JsonReport.write(report, json), json);
          out.println("JSON written to " + json);
        }
        out.flush();
        return 0;
      }
      if (machine != null || noUnseenValueRule || neighbours != null) {
        throw new BadInputException(
            "--machine, --no-unseen-value-rule and --neighbours are available only with --loio");
      }
      if (modelType != null) {
        throw new BadInputException("--latency-model is available only with --loio");
      }
      if (split == TrainingSplit.OTHERS && files.size() < 2) {
        throw new BadInputException("--train-on others needs at least two input files");
      }
      List<InputAnalysis> analyses = analyze(split, inputFormat, features, slots, err).inputs();
      out.println("features: " + features.description());
      TextReport.print(analyses, out);
      if (json != null) {
        ObjectNode report = JsonReport.of(analyses, slots, split);
        report.put("features", features.label());
        write(() -> JsonReport.write(report, json), json);
        out.println("JSON written to " + json);
      }
      if (html != null) {
        write(() -> HtmlReport.write(analyses, slots, features, html), html);
        out.println("HTML written to " + html);
      }
      out.flush();
      return 0;
    } catch (BadInputException | AnalysisException e) {
      return fail(err, e, 2);
    } catch (ReportException e) {
      return fail(err, e, 1);
    } finally {
      TRIBUO.setLevel(tribuoLevel);
    }
  }

  /** Runs the analysis, drawing its progress on {@code err} and printing its warnings there. */
  private Analysis analyze(
      TrainingSplit split,
      @Nullable InputFormat inputFormat,
      FeatureSet features,
      int slots,
      PrintWriter err) {
    ProgressBar bar = ProgressBar.of(err, "analyze", progressShown());
    AnalysisListener listener =
        new AnalysisListener() {
          @Override
          public void progress(int done, int total, String what) {
            bar.show(done, total, what);
          }

          @Override
          public void warning(String line) {
            bar.finish(); // the warning gets a line of its own; the bar is redrawn after it
            err.println(line);
            err.flush();
          }
        };
    try {
      return Analyzer.builder()
          .slots(slots)
          .trainingSplit(split)
          .features(features)
          .seed(seed)
          .format(inputFormat)
          .listener(listener)
          .build()
          .analyze(files);
    } finally {
      bar.finish();
    }
  }

  private boolean progressShown() {
    return progress != null ? progress : isLongWork(files);
  }

  /**
   * The latency model type named {@code value} (case-insensitive).
   *
   * @throws BadInputException naming the value and the known types
   */
  static LatencyModelType parseModel(String value) {
    for (LatencyModelType t : LatencyModelType.values()) {
      if (t.name().equalsIgnoreCase(value.trim())) {
        return t;
      }
    }
    throw new BadInputException(
        "unknown value '"
            + value
            + "' for --latency-model: expected one of "
            + Arrays.stream(LatencyModelType.values())
                .map(Enum::name)
                .collect(Collectors.joining(", ")));
  }

  /** Many files, or big ones (a file that cannot be sized counts as empty here). */
  static boolean isLongWork(List<Path> files) {
    if (files.size() >= LONG_WORK_FILES) {
      return true;
    }
    long bytes = 0;
    for (Path file : files) {
      try {
        bytes += Files.size(file);
      } catch (IOException | RuntimeException e) {
        // reported when the file is read
      }
    }
    return bytes >= LONG_WORK_BYTES;
  }

  /**
   * The format named {@code value} (case-insensitive).
   *
   * @throws BadInputException naming the value and the known formats
   */
  static InputFormat parseFormat(String value) {
    for (InputFormat f : InputFormat.values()) {
      if (f.label().equalsIgnoreCase(value.trim())) {
        return f;
      }
    }
    throw new BadInputException(
        "unknown format '"
            + value
            + "' for --format: expected one of "
            + Arrays.stream(InputFormat.values())
                .map(InputFormat::label)
                .collect(Collectors.joining(", ")));
  }

  /**
   * The split named {@code value} (case-insensitive).
   *
   * @throws BadInputException naming the value and the known splits
   */
  static TrainingSplit parseSplit(String value) {
    for (TrainingSplit split : TrainingSplit.values()) {
      if (split.label().equalsIgnoreCase(value.trim())) {
        return split;
      }
    }
    throw new BadInputException(
        "unknown value '" + value + "' for --train-on: expected rest or others");
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

  /** A bad option value; its message is one line. */
  static final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
      super(message);
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
