package dev.parallax.planner.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Identical calls run the tool once whichever way the executor is asked to run them. */
class ExecutionModesTest {

  enum Mode {
    SEQUENTIAL,
    PARALLEL,
    GRAPH,
    BATCH
  }

  private static final int CALLS = 3;

  @ParameterizedTest(name = "{0}, async={1}")
  @CsvSource({
    "SEQUENTIAL, false", "SEQUENTIAL, true",
    "PARALLEL, false", "PARALLEL, true",
    "GRAPH, false", "GRAPH, true",
    "BATCH, false", "BATCH, true"
  })
  void identicalCalls_runTheToolOnce(Mode mode, boolean async) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Tool<JsonNode, String> tool = CacheTesting.counting("search", runs);
    JsonNode args = new ObjectMapper().readTree("{\"q\":\"jvm\"}");
    List<ToolCall<?, ?>> calls =
        IntStream.range(0, CALLS)
            .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of("c" + i, tool, args))
            .toList();
    CaffeineResultCache cache = CaffeineResultCache.builder().build();

    RunResult run;
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      run =
          switch (mode) {
            case SEQUENTIAL ->
                async
                    ? executor.executeSequentialAsync(calls).get()
                    : executor.executeSequential(calls);
            case PARALLEL ->
                async
                    ? executor.executeParallelAsync(calls).get()
                    : executor.executeParallel(calls);
            case GRAPH -> {
              CallGraph.Builder graph = CallGraph.builder();
              calls.forEach(graph::add);
              yield async
                  ? executor.executeGraphAsync(graph.build()).get()
                  : executor.executeGraph(graph.build());
            }
            case BATCH -> {
              List<JsonNode> inputs = List.of(args, args.deepCopy(), args.deepCopy());
              yield async
                  ? executor.executeBatchAsync(tool, inputs).get()
                  : executor.executeBatch(tool, inputs);
            }
          };
    }

    assertThat(run.allSucceeded()).isTrue();
    assertThat(runs).hasValue(1);
    assertThat(run.results()).filteredOn(CallResult::cacheHit).hasSize(CALLS - 1);
    assertThat(cache.stats().hits()).isEqualTo(CALLS - 1);
    assertThat(cache.stats().misses()).isEqualTo(1);
  }
}
