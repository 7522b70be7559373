package dev.parallax.analysis;

import dev.parallax.planner.sim.SimulatedCall;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything an {@link Analyzer} found about one input file. Immutable and thread-safe. Built by
 * the {@link Analyzer}; a class rather than a record so that it can gain figures.
 */
public final class InputAnalysis {

  private final TracedWorkflow input;
  private final List<ToolStats> tools;
  private final List<SimulatedCall> criticalPath;
  private final Duration criticalPathLength;
  private final Duration lowerBound;
  private final int slots;
  private final SimulatedMakespans simulated;
  private final ModelScore model;

  InputAnalysis(
      TracedWorkflow input,
      List<ToolStats> tools,
      List<SimulatedCall> criticalPath,
      Duration criticalPathLength,
      Duration lowerBound,
      int slots,
      SimulatedMakespans simulated,
      ModelScore model) {
    this.input = Objects.requireNonNull(input, "input");
    this.tools = List.copyOf(tools);
    this.criticalPath = List.copyOf(criticalPath);
    this.criticalPathLength = Objects.requireNonNull(criticalPathLength, "criticalPathLength");
    this.lowerBound = Objects.requireNonNull(lowerBound, "lowerBound");
    this.slots = slots;
    this.simulated = Objects.requireNonNull(simulated, "simulated");
    this.model = Objects.requireNonNull(model, "model");
  }

  /** The input as read. */
  public TracedWorkflow input() {
    return input;
  }

  /** Per-tool latency and success, sorted by tool name. */
  public List<ToolStats> tools() {
    return tools;
  }

  /** The tasks on the recorded critical path (of each run, runs one after another). */
  public List<SimulatedCall> criticalPath() {
    return criticalPath;
  }

  /** The sum of their recorded durations. */
  public Duration criticalPathLength() {
    return criticalPathLength;
  }

  /** {@code max(critical path, total work / slots)}, summed over runs. */
  public Duration lowerBound() {
    return lowerBound;
  }

  /** The simulated concurrency. */
  public int slots() {
    return slots;
  }

  /** The simulated makespans. */
  public SimulatedMakespans simulated() {
    return simulated;
  }

  /** The latency model's score. */
  public ModelScore model() {
    return model;
  }

  /** The recorded makespan, or {@code null} when the file does not tell. */
  public @Nullable Duration recordedMakespan() {
    return input.recordedMakespan();
  }

  @Override
  public String toString() {
    return "InputAnalysis[" + input.file() + ", " + input.size() + " tasks, slots=" + slots + "]";
  }
}
