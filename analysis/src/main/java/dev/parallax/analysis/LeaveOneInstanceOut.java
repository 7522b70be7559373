package dev.parallax.analysis;

import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.analysis.internal.Categories;
import dev.parallax.analysis.internal.LatencyModel;
import dev.parallax.analysis.internal.MakespanBounds;
import dev.parallax.analysis.internal.NeighbourEvaluation;
import dev.parallax.analysis.internal.PairedErrors;
import dev.parallax.analysis.internal.ScheduleComparison;
import dev.parallax.analysis.internal.WorkflowFeatures;
import dev.parallax.analysis.internal.WorkflowInputs;
import dev.parallax.planner.sim.SimulatedCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/*
 * For each instance i of an application: the latency model (the adaptive module's predictor, gate
 * included) and the per-tool mean both learn from every task of the other instances, and both
 * predict every task of instance i. Scored per row: |ln actual - ln predicted| in seconds. The
 * per-instance ratio is the model's MAE over the mean's, with a paired bootstrap interval over the
 * rows of i; the application's figure is the unweighted average of the per-instance ratios, with a
 * stratified bootstrap interval (PairedErrors). The same trained model then orders instance i in
 * the planner's virtual-time simulator (critical-path priority with predicted durations) next to
 * FIFO and the oracle, at `slots` slots.
 */
/**
 * Leave-one-instance-out evaluation of the learned latency model on several recorded instances of
 * one application: trained on the other instances, scored on every task of the held-out one, next
 * to the per-tool mean, with confidence intervals; and the learned-priority makespan against FIFO.
 *
 * <pre>{@code
 * LoioEvaluation blast = LeaveOneInstanceOut.builder().build()
 *     .evaluate("blast", LeaveOneInstanceOut.instancesIn(Path.of("examples/workflows/real/blast")));
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@code evaluate} runs on the calling thread and gives the same
 * figures for the same inputs and settings.
 */
public final class LeaveOneInstanceOut {

  private static final Logger LOG = Logger.getLogger("dev.parallax.analysis");

  private final int slots;
  private final long seed;
  private final FeatureSet features;
  private final int resamples;
  private final double level;
  private final @Nullable LatencyModelType latencyModel;
  private final MachineFeature machine;
  private final boolean unseenValueRule;
  private final AnalysisListener listener;
  private final int storeNeighbours;

  private LeaveOneInstanceOut(Builder b) {
    this.storeNeighbours = b.storeNeighbours;
    this.machine = b.machine;
    this.unseenValueRule = b.unseenValueRule;
    this.slots = b.slots;
    this.seed = b.seed;
    this.features = b.features;
    this.resamples = b.resamples;
    this.level = b.level;
    this.latencyModel = b.latencyModel;
    this.listener = b.listener;
  }

  /**
   * A builder with the defaults: 4 slots, seed 42, {@link FeatureSet#PRE_CALL}, the machine feature
   * and the unseen-value rule on, 1,000 bootstrap resamples, 95% intervals.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The {@code .json} files directly in {@code directory}, sorted by name: the instances of one
   * application.
   *
   * @throws AnalysisException if it is not a readable directory or holds no {@code .json} file
   */
  public static List<Path> instancesIn(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new AnalysisException(directory + ": not a directory");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files =
          list.filter(p -> p.getFileName().toString().endsWith(".json"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new AnalysisException(directory + ": cannot list: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new AnalysisException(directory + ": no .json instance in it");
    }
    return files;
  }

  /**
   * Reads {@code files} (format told from each file's content) and evaluates them as instances of
   * {@code application}.
   *
   * @throws AnalysisException if a file cannot be read, or there are fewer than two
   */
  public LoioEvaluation evaluate(String application, List<Path> files) {
    requireTwo(application, files.size());
    List<TracedWorkflow> read = new ArrayList<>(files.size());
    for (Path file : files) {
      read.add(WorkflowInputs.read(file, null));
    }
    return evaluateWorkflows(application, read);
  }

  /**
   * Evaluates workflows already read as instances of {@code application}.
   *
   * @throws AnalysisException if there are fewer than two
   */
  public LoioEvaluation evaluateWorkflows(String application, List<TracedWorkflow> workflows) {
    requireTwo(application, workflows.size());
    List<TracedWorkflow> inputs =
        workflows.stream().map(features::apply).map(this::machineFeatureApplied).toList();
    List<List<SimulatedCall>> tasks = inputs.stream().map(TracedWorkflow::tasks).toList();
    int total = 2 * inputs.size();
    int done = 0;
    List<HeldOutInstance> results = new ArrayList<>(inputs.size());
    List<PairedErrors> errors = new ArrayList<>(inputs.size());
    List<NeighbourEvaluation.Result> neighbourResults = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      TracedWorkflow input = inputs.get(i);
      String name = Path.of(input.file()).getFileName().toString();
      progress(done, total, application + ": training without " + name);
      List<List<SimulatedCall>> training = new ArrayList<>();
      for (int j = 0; j < tasks.size(); j++) {
        if (j != i) {
          training.add(tasks.get(j));
        }
      }
      Predicate<String> hidden =
          machine == MachineFeature.MODEL_INPUT
              ? f -> false
              : f -> Categories.isOf(f, Categories.MACHINE);
      LatencyModel.Trained model =
          LatencyModel.trainOnInstances(
              training, tasks.get(i), seed, latencyModel, unseenValueRule, hidden);
      NeighbourComparison neighbours = null;
      if (storeNeighbours > 0) {
        NeighbourEvaluation.Result r =
            NeighbourEvaluation.evaluate(
                training, tasks.get(i), seed, storeNeighbours, unseenValueRule, hidden);
        neighbourResults.add(r);
        neighbours = comparison(List.of(r), seed + i);
      }
      progress(++done, total, application + ": simulating " + name);
      SimulatedMakespans makespans =
          ScheduleComparison.run(input, slots, model.predictor(), () -> {});
      progress(++done, total, application + ": held out " + name);
      errors.add(model.errors());
      results.add(
          new HeldOutInstance(
              input.file(),
              model.trainingTasks(),
              model.scoredTasks(),
              model.maeLogLatency(),
              model.baselineMaeLogLatency(),
              model.errors().ratioInterval(resamples, level, seed + i),
              model.answeredByModel(),
              makespans,
              MakespanBounds.of(input.runs(), slots),
              ScheduleComparison.bestKnown(input, slots),
              model.note(),
              model.errors(),
              neighbours));
    }
    double[] average = PairedErrors.averageRatioInterval(errors, resamples, level, seed);
    return new LoioEvaluation(
        application,
        results,
        average,
        features,
        slots,
        level,
        neighbourResults.isEmpty() ? null : comparison(neighbourResults, seed));
  }

  /** The neighbour variants over {@code results} (one per instance), ratios averaged. */
  private NeighbourComparison comparison(List<NeighbourEvaluation.Result> results, long seed) {
    long all = results.stream().mapToLong(NeighbourEvaluation.Result::storeRows).sum();
    long newest = results.stream().mapToLong(NeighbourEvaluation.Result::inMemoryRows).sum();
    return new NeighbourComparison(
        storeNeighbours,
        variant(results.stream().map(NeighbourEvaluation.Result::store).toList(), all, seed),
        variant(results.stream().map(NeighbourEvaluation.Result::inMemory).toList(), newest, seed),
        variant(results.stream().map(NeighbourEvaluation.Result::exact).toList(), all, seed));
  }

  private NeighbourComparison.Variant variant(
      List<NeighbourEvaluation.Variant> variants, long rows, long seed) {
    List<PairedErrors> errors = variants.stream().map(NeighbourEvaluation.Variant::errors).toList();
    double[] interval = PairedErrors.averageRatioInterval(errors, resamples, level, seed);
    double ratio = errors.stream().mapToDouble(PairedErrors::ratio).average().orElse(Double.NaN);
    double answered =
        variants.stream()
            .mapToDouble(NeighbourEvaluation.Variant::answered)
            .average()
            .orElse(Double.NaN);
    double[] micros =
        variants.stream().flatMapToDouble(v -> Arrays.stream(v.queryMicros())).toArray();
    return new NeighbourComparison.Variant(
        ratio, interval[0], interval[1], answered, rows, NeighbourEvaluation.median(micros));
  }

  /**
   * The interval {low, high} of the unweighted average over {@code evaluations} of their {@link
   * LoioEvaluation#averageRatio()}s (each application weighs the same), from a stratified paired
   * bootstrap with this evaluation's resamples, level and seed; {NaN, NaN} if there is none.
   */
  public double[] averageOverApplicationsInterval(List<LoioEvaluation> evaluations) {
    List<List<PairedErrors>> groups =
        evaluations.stream()
            .map(e -> e.instances().stream().map(HeldOutInstance::errors).toList())
            .toList();
    return PairedErrors.averageOfAveragesInterval(groups, resamples, level, seed);
  }

  private TracedWorkflow machineFeatureApplied(TracedWorkflow workflow) {
    return machine != MachineFeature.OFF
        ? workflow
        : WorkflowFeatures.without(workflow, f -> Categories.isOf(f, Categories.MACHINE));
  }

  private static void requireTwo(String application, int instances) {
    Objects.requireNonNull(application, "application");
    if (instances < 2) {
      throw new AnalysisException(
          "leave-one-instance-out needs at least two instances of "
              + application
              + ", was "
              + instances);
    }
  }

  private void progress(int done, int total, String what) {
    try {
      listener.progress(done, total, what);
    } catch (Throwable t) {
      LOG.log(Level.WARNING, "analysis listener seam: " + listener + ".progress threw; ignored", t);
    }
  }

  @Override
  public String toString() {
    return "LeaveOneInstanceOut[slots="
        + slots
        + ", seed="
        + seed
        + ", features="
        + features.label()
        + ", resamples="
        + resamples
        + ", level="
        + level
        + ", latencyModel="
        + (latencyModel == null ? "default" : latencyModel)
        + ", machine="
        + machine.label()
        + ", unseenValueRule="
        + unseenValueRule
        + (storeNeighbours > 0 ? ", storeNeighbours=" + storeNeighbours : "")
        + "]";
  }

  /**
   * Settings of a {@link LeaveOneInstanceOut}; each has a default. Not thread-safe; what it builds
   * is.
   */
  public static final class Builder {
    private int slots = 4;
    private long seed = 42;
    private FeatureSet features = FeatureSet.PRE_CALL;
    private int resamples = 1000;
    private double level = 0.95;
    private @Nullable LatencyModelType latencyModel;
    private MachineFeature machine = MachineFeature.REACH_ONLY;
    private boolean unseenValueRule = true;
    private AnalysisListener listener = AnalysisListener.NONE;
    private int storeNeighbours;

    private Builder() {}

    /**
     * Also score the k-nearest-neighbour rule with {@code k} neighbours found by the embedded
     * history store's own similarity search over every training task, next to the newest 512 per
     * tool (the in-memory model's) and to exact search: see {@link NeighbourComparison}. Each
     * held-out instance's training tasks are loaded into an embedded store in a temp dir, deleted
     * after. Default: off.
     *
     * @throws IllegalArgumentException if {@code k} is below 1 or above 1,000
     */
    public Builder storeNeighbours(int k) {
      if (k < 1 || k > 1000) {
        throw new IllegalArgumentException("k must be in [1, 1000], was " + k);
      }
      this.storeNeighbours = k;
      return this;
    }

    /**
     * What is done with the machine (host) a WfFormat task ran on. Default {@link
     * MachineFeature#REACH_ONLY}.
     */
    public Builder machine(MachineFeature machine) {
      this.machine = Objects.requireNonNull(machine, "machine");
      return this;
    }

    /**
     * Whether a task carrying a categorical value (such as a machine) that no training task of its
     * tool carried is answered by the tool's mean instead of the model, whatever the model type: a
     * model does not extrapolate to a category value it never saw for that tool. Default {@code
     * true}.
     */
    public Builder unseenValueRule(boolean unseenValueRule) {
      this.unseenValueRule = unseenValueRule;
      return this;
    }

    /**
     * Slots of the makespan simulations. Default 4.
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

    /** Seed of the training shuffle and of the bootstrap. Default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Features the model may use. Default {@link FeatureSet#PRE_CALL}. */
    public Builder features(FeatureSet features) {
      this.features = Objects.requireNonNull(features, "features");
      return this;
    }

    /**
     * Bootstrap resamples per interval. Default 1,000.
     *
     * @throws IllegalArgumentException if below 100
     */
    public Builder resamples(int resamples) {
      if (resamples < 100) {
        throw new IllegalArgumentException("resamples must be at least 100, was " + resamples);
      }
      this.resamples = resamples;
      return this;
    }

    /**
     * Confidence level of the intervals. Default 0.95.
     *
     * @throws IllegalArgumentException unless strictly between 0 and 1
     */
    public Builder level(double level) {
      if (!(level > 0 && level < 1)) {
        throw new IllegalArgumentException("level must be in (0, 1), was " + level);
      }
      this.level = level;
      return this;
    }

    /**
     * The kind of latency model the predictor trains; {@code null} (the default) leaves the
     * adaptive predictor's own default.
     */
    public Builder latencyModel(@Nullable LatencyModelType type) {
      this.latencyModel = type;
      return this;
    }

    /** Told of progress (two steps per instance). Default: none. */
    public Builder listener(@Nullable AnalysisListener listener) {
      this.listener = listener == null ? AnalysisListener.NONE : listener;
      return this;
    }

    /** The evaluation. */
    public LeaveOneInstanceOut build() {
      return new LeaveOneInstanceOut(this);
    }
  }
}
