package dev.parallax.samples.analyze;

import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs the analysis over every input: reads them all first (so bad input fails before any work),
 * then for each input trains and scores the latency model, finds the critical path and lower bound,
 * and simulates the three policies. Not thread-safe; one analysis at a time.
 */
final class Analyzer {

  /** Inputs from which the work counts as long and the progress bar shows by default. */
  static final int LONG_WORK_FILES = 10;

  /** Total input size from which the work counts as long. */
  static final long LONG_WORK_BYTES = 5_000_000;

  private static final int STEPS_PER_INPUT = 5; // read, model, three simulations

  private final int slots;
  private final TrainingSplit split;
  private final long seed;

  /**
   * An analyzer simulating {@code slots} slots.
   *
   * @throws BadInputException if {@code slots} is below 1
   */
  Analyzer(int slots, TrainingSplit split, long seed) {
    if (slots < 1) {
      throw new BadInputException("--concurrency must be at least 1, was " + slots);
    }
    this.slots = slots;
    this.split = split;
    this.seed = seed;
  }

  /**
   * Analyses {@code files}.
   *
   * @param format their format, or {@code null} to tell it from each file
   * @param err where the progress bar goes
   * @param progress {@code true} or {@code false} to force the bar, {@code null} to show it only
   *     for long work (see {@link #isLongWork})
   * @throws BadInputException for the first input that cannot be analysed
   */
  List<InputAnalysis> analyze(
      List<Path> files, @Nullable InputFormat format, PrintWriter err, @Nullable Boolean progress) {
    if (files.isEmpty()) {
      throw new BadInputException("no input files");
    }
    if (split == TrainingSplit.OTHERS && files.size() < 2) {
      throw new BadInputException("--train-on others needs at least two input files");
    }
    boolean show = progress != null ? progress : isLongWork(files);
    ProgressBar bar = ProgressBar.of(err, files.size() * STEPS_PER_INPUT, show);
    try {
      List<TracedWorkflow> inputs = new ArrayList<>(files.size());
      for (Path file : files) {
        bar.show("reading " + file.getFileName());
        TracedWorkflow input = WorkflowInputs.read(file, format);
        if (!input.warnings().isEmpty()) {
          bar.finish(); // the warning gets a line of its own; the bar is redrawn after it
          input.warnings().forEach(err::println);
          err.flush();
        }
        inputs.add(input);
        bar.step("read " + file.getFileName());
      }
      List<List<SimulatedCall>> allTasks = inputs.stream().map(TracedWorkflow::tasks).toList();
      List<InputAnalysis> analyses = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        analyses.add(analyze(inputs.get(i), allTasks, i, bar));
      }
      return analyses;
    } finally {
      bar.finish();
    }
  }

  private InputAnalysis analyze(
      TracedWorkflow input, List<List<SimulatedCall>> allTasks, int index, ProgressBar bar) {
    String name = Path.of(input.file()).getFileName().toString();
    bar.show("training on " + name);
    TrainingSplit.Split<SimulatedCall> tasks = split.split(allTasks, index);
    LatencyModel.Trained model = LatencyModel.train(tasks.training(), tasks.scored(), seed);
    bar.step("simulating " + name);
    SimulatedMakespans simulated =
        ScheduleComparison.run(
            input, slots, model.predictor(), () -> bar.step("simulating " + name));
    List<SimulatedCall> path = new ArrayList<>();
    for (Workload run : input.runs()) {
      path.addAll(CriticalPath.of(run).tasks());
    }
    return new InputAnalysis(
        input,
        ToolStats.of(input.tasks()),
        path,
        input.sum(Workload::criticalPath),
        input.sum(run -> run.lowerBound(slots)),
        slots,
        simulated,
        model.score());
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
}
