package dev.parallax.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.time.VirtualTime;
import java.util.List;
import java.util.function.UnaryOperator;

/** Runs plans of {@link SimTool}s through the real executor in virtual time. */
public final class Sim {

  /** The ways independent calls can be handed to the executor. */
  public enum IndependentMode {
    PARALLEL,
    GRAPH_WITHOUT_EDGES,
    PARALLEL_FUTURE
  }

  public final VirtualTime time = new VirtualTime();
  public final RecordingListener events = new RecordingListener();
  public final ToolExecutor executor;

  public Sim(UnaryOperator<ToolExecutor.Builder> options) {
    executor =
        options
            .apply(
                ToolExecutor.builder()
                    .timeSource(time)
                    .runner(new SimRunner(time))
                    .listener(events))
            .build();
  }

  public Sim() {
    this(b -> b);
  }

  /** Starts the plan, runs virtual time until nothing is scheduled, returns the result. */
  public RunResult run(ExecutionPlan plan) {
    ToolRun run = executor.start(plan);
    time.runUntilIdle();
    assertThat(run.isDone()).as("run finished when virtual time ran out of events").isTrue();
    return run.result().join();
  }

  /** Runs independent calls in the given mode. */
  public RunResult run(IndependentMode mode, List<ToolCall<?, ?>> calls) {
    return switch (mode) {
      case PARALLEL -> run(ExecutionPlan.parallel(calls));
      case GRAPH_WITHOUT_EDGES -> {
        CallGraph.Builder graph = CallGraph.builder();
        calls.forEach(graph::add);
        yield run(ExecutionPlan.graph(graph.build()));
      }
      case PARALLEL_FUTURE -> {
        var future = executor.executeParallelAsync(calls);
        time.runUntilIdle();
        assertThat(future).isDone();
        yield future.join();
      }
    };
  }
}
