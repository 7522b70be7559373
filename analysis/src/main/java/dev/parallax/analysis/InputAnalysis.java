package dev.parallax.analysis;

import dev.parallax.planner.sim.SimulatedCall;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything an {@link Analyzer} found about one input file. Immutable.
 *
 * @param input the input as read
 * @param tools per-tool latency and success, by tool name
 * @param criticalPath the tasks on the recorded critical path (of each run, runs one after another)
 * @param criticalPathLength the sum of their recorded durations
 * @param lowerBound {@code max(critical path, total work / slots)}, summed over runs
 * @param slots the simulated concurrency
 * @param simulated the simulated makespans
 * @param model the latency model's score
 */
public record InputAnalysis(
    TracedWorkflow input,
    List<ToolStats> tools,
    List<SimulatedCall> criticalPath,
    Duration criticalPathLength,
    Duration lowerBound,
    int slots,
    SimulatedMakespans simulated,
    ModelScore model) {

  /** Validates and copies. */
  public InputAnalysis {
    Objects.requireNonNull(input, "input");
    tools = List.copyOf(tools);
    criticalPath = List.copyOf(criticalPath);
  }

  /** The recorded makespan, or {@code null} when the file does not tell. */
  public @Nullable Duration recordedMakespan() {
    return input.recordedMakespan();
  }
}
