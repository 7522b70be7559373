package dev.parallax.analysis;

import dev.parallax.analysis.internal.LatencyModel;
import dev.parallax.analysis.internal.ScheduleComparison;
import dev.parallax.analysis.internal.WorkflowInputs;
import dev.parallax.planner.graph.CriticalPath;
import dev.parallax.planner.graph.DependencyGraph;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Analyses recorded workflows: reads every input first (so bad input fails before any work), then
 * for each input trains and scores the latency model, finds the critical path and lower bound, and
 * simulates three policies (FIFO, learned priority, oracle priority) on the planner's virtual-time
 * simulator. Reproducible: the same inputs and settings give the same figures.
 *
 * <pre>{@code
 * Analysis analysis = Analyzer.builder().slots(8).build().analyze(files);
 * }</pre>
 *
 * <p>An analyzer is immutable and may be shared; each {@link #analyze} call is independent and runs
 * on the calling thread (training included), reporting to the {@link AnalysisListener}.
 */
public final class Analyzer {

  private static final Logger LOG = Logger.getLogger("dev.parallax.analysis");

  private static final int STEPS_PER_INPUT = 4; // model, three simulations (and reading a file)

  private final int slots;
  private final TrainingSplit split;
  private final long seed;
  private final @Nullable InputFormat format;
  private final FeatureSet features;
  private final AnalysisListener listener;

  private Analyzer(Builder builder) {
    this.slots = builder.slots;
    this.split = builder.split;
    this.seed = builder.seed;
    this.format = builder.format;
    this.features = builder.features;
    this.listener = builder.listener;
  }

  /**
   * A builder with the defaults: 8 slots, {@link TrainingSplit#REST}, seed 42, format detected,
   * {@link FeatureSet#PRE_CALL}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads and analyses {@code files}.
   *
   * @return one analysis per file, in order
   * @throws AnalysisException for the first file that cannot be read or analysed, if there is no
   *     file, or if the training split is {@link TrainingSplit#OTHERS} and there is only one
   */
  public Analysis analyze(List<Path> files) {
    requireEnough(files.size());
    Progress progress = new Progress(files.size() * (STEPS_PER_INPUT + 1));
    List<TracedWorkflow> inputs = new ArrayList<>(files.size());
    for (Path file : files) {
      progress.show("reading " + file.getFileName());
      TracedWorkflow input = WorkflowInputs.read(file, format);
      input.warnings().forEach(progress::warning);
      inputs.add(input);
      progress.step("read " + file.getFileName());
    }
    return analyzeRead(inputs, progress);
  }

  /**
   * Analyses workflows already read — by a {@link TraceReader}, or by a reader of another format
   * that builds {@link TracedWorkflow}s. Their warnings are not passed to the listener again.
   *
   * @return one analysis per workflow, in order
   * @throws AnalysisException if there is no workflow, or if the training split is {@link
   *     TrainingSplit#OTHERS} and there is only one
   */
  public Analysis analyzeWorkflows(List<TracedWorkflow> workflows) {
    requireEnough(workflows.size());
    return analyzeRead(List.copyOf(workflows), new Progress(workflows.size() * STEPS_PER_INPUT));
  }

  private void requireEnough(int inputs) {
    if (inputs == 0) {
      throw new AnalysisException("no input files");
    }
    if (split == TrainingSplit.OTHERS && inputs < 2) {
      throw new AnalysisException(
          "training split 'others' needs at least two input files, was " + inputs);
    }
  }

  private Analysis analyzeRead(List<TracedWorkflow> read, Progress progress) {
    List<TracedWorkflow> inputs = read.stream().map(features::apply).toList();
    List<List<SimulatedCall>> allTasks = inputs.stream().map(TracedWorkflow::tasks).toList();
    List<InputAnalysis> analyses = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      analyses.add(analyze(read.get(i), inputs.get(i), allTasks, i, progress));
    }
    return new Analysis(analyses, slots, split, seed, features, progress.failures);
  }

  /**
   * @param read the input as read, which the analysis reports
   * @param input the same with only the features the model may use, which it learns and simulates
   */
  private InputAnalysis analyze(
      TracedWorkflow read,
      TracedWorkflow input,
      List<List<SimulatedCall>> allTasks,
      int index,
      Progress progress) {
    String name = Path.of(input.file()).getFileName().toString();
    progress.show("training on " + name);
    TrainingSplit.Split<SimulatedCall> tasks = split.split(allTasks, index);
    LatencyModel.Trained model = LatencyModel.train(tasks.training(), tasks.scored(), seed);
    progress.step("simulating " + name);
    SimulatedMakespans simulated =
        ScheduleComparison.run(
            input, slots, model.predictor(), () -> progress.step("simulating " + name));
    List<SimulatedCall> path = new ArrayList<>();
    for (Workload run : read.runs()) {
      List<SimulatedCall> calls = run.calls();
      DependencyGraph graph =
          DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
      for (int i : CriticalPath.of(graph, i -> calls.get(i).duration()).indices()) {
        path.add(calls.get(i));
      }
    }
    return new InputAnalysis(
        read,
        ToolStats.of(read.tasks()),
        path,
        read.sum(Workload::criticalPath),
        read.sum(run -> run.lowerBound(slots)),
        slots,
        simulated,
        new ModelScore(
            model.trainingTasks(),
            model.scoredTasks(),
            model.maeLogLatency(),
            model.baselineMaeLogLatency(),
            model.answeredByModel(),
            model.note()));
  }

  @Override
  public String toString() {
    return "Analyzer[slots="
        + slots
        + ", split="
        + split.label()
        + ", seed="
        + seed
        + ", format="
        + (format == null ? "detected" : format.label())
        + ", features="
        + features.label()
        + "]";
  }

  /** Counts steps and tells the listener, isolating it. */
  private final class Progress {
    private final int total;
    private int done;
    private int failures;

    Progress(int total) {
      this.total = Math.max(1, total);
    }

    void step(String what) {
      done = Math.min(total, done + 1);
      show(what);
    }

    void show(String what) {
      try {
        listener.progress(done, total, what);
      } catch (Throwable t) {
        failed("progress", t);
      }
    }

    void warning(String line) {
      try {
        listener.warning(line);
      } catch (Throwable t) {
        failed("warning", t);
      }
    }

    private void failed(String method, Throwable t) {
      failures++;
      LOG.log(
          Level.WARNING,
          "analysis listener seam: " + listener + "." + method + " threw; ignored",
          t);
    }
  }

  /**
   * Settings of an {@link Analyzer}; each has a default. Not thread-safe; the analyzer it builds
   * is.
   */
  public static final class Builder {

    private int slots = 8;
    private TrainingSplit split = TrainingSplit.REST;
    private long seed = 42;
    private @Nullable InputFormat format;
    private FeatureSet features = FeatureSet.PRE_CALL;
    private AnalysisListener listener = AnalysisListener.NONE;

    private Builder() {}

    /**
     * The concurrency of the simulations and the {@code N} of the lower bound {@code max(critical
     * path, total work / N)}. Default 8.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder slots(int slots) {
      if (slots < 1) {
        throw new IllegalArgumentException("slots must be at least 1, was " + slots);
      }
      this.slots = slots;
      return this;
    }

    /** What the latency model learns from before it is scored on an input. Default {@code REST}. */
    public Builder trainingSplit(TrainingSplit split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    /** The seed of the model training (and of its shuffle). Default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Reads every input in {@code format}; {@code null} (the default) tells each input's format
     * from its content, like {@link TraceReaders#detect}.
     */
    public Builder format(@Nullable InputFormat format) {
      this.format = format;
      return this;
    }

    /**
     * Which recorded features the model learns from and predicts with (the learned-priority
     * simulation included). Default {@link FeatureSet#PRE_CALL}: only those known before a task
     * starts.
     */
    public Builder features(FeatureSet features) {
      this.features = Objects.requireNonNull(features, "features");
      return this;
    }

    /** Told of progress and warnings. Default: none. */
    public Builder listener(AnalysisListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The analyzer. */
    public Analyzer build() {
      return new Analyzer(this);
    }
  }
}
