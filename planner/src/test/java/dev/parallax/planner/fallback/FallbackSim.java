package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** The real executor on virtual time, with {@link ScriptedTool}s. */
final class FallbackSim implements AutoCloseable {

  /** The ways one tool's calls can be handed to the executor. */
  enum Mode {
    PARALLEL,
    SEQUENTIAL,
    GRAPH,
    BATCH,
    PARALLEL_ASYNC
  }

  final VirtualTime time;
  final ToolExecutor executor;

  FallbackSim(VirtualTime time, UnaryOperator<ToolExecutor.Builder> options) {
    this.time = time;
    this.executor =
        options
            .apply(ToolExecutor.builder().timeSource(time).runner(new ScriptedRunner(time)))
            .build();
  }

  /** Runs the plan until virtual time has nothing left to do. */
  RunResult run(ExecutionPlan plan) {
    ToolRun run = executor.start(plan);
    time.runUntilIdle();
    assertThat(run.isDone()).as("run finished when virtual time ran out of events").isTrue();
    return run.result().join();
  }

  /** Calls {@code tool} once per input, ids {@code c0, c1, ...} (batch: {@code tool-0, ...}). */
  RunResult run(Mode mode, ScriptedTool tool, int calls) {
    List<ToolCall<?, ?>> list = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      list.add(ToolCall.of("c" + i, tool, i));
    }
    return switch (mode) {
      case PARALLEL -> run(ExecutionPlan.parallel(list));
      case SEQUENTIAL -> run(ExecutionPlan.sequential(list));
      case GRAPH -> {
        CallGraph.Builder graph = CallGraph.builder();
        for (int i = 0; i < list.size(); i++) {
          graph.add(list.get(i), i == 0 ? List.of() : List.of("c" + (i - 1)));
        }
        yield run(ExecutionPlan.graph(graph.build()));
      }
      case BATCH -> {
        List<Object> inputs = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          inputs.add(i);
        }
        yield run(ExecutionPlan.batch(tool, inputs));
      }
      case PARALLEL_ASYNC -> {
        CompletableFuture<RunResult> future = executor.executeParallelAsync(list);
        time.runUntilIdle();
        assertThat(future).isDone();
        yield future.join();
      }
    };
  }

  @Override
  public void close() {
    executor.close();
  }
}
