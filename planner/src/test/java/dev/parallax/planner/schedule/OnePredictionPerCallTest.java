package dev.parallax.planner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With critical-path scheduling and the same predictor on the executor, each call is predicted
 * once: the queue ranks by the prediction the call carries, and its record shows that prediction.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OnePredictionPerCallTest {

  @Test
  void criticalPathScheduling_withTheExecutorsPredictor_asksOncePerCall() {
    ConcurrentHashMap<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    Predictor predictor =
        call -> {
          asked.computeIfAbsent(call.callId(), id -> new AtomicInteger()).incrementAndGet();
          return new Prediction(Duration.ofMillis(7), Duration.ofMillis(9), 0.9, "test");
        };
    List<ExecutionRecord> records = new CopyOnWriteArrayList<>();
    Tool<String, String> echo = Tools.named("echo").input(String.class).function((in, c) -> in);
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("a", echo, "a"))
            .add(ToolCall.of("b", echo, "b"), "a")
            .add(ToolCall.derived("c", echo, deps -> "c"), "a")
            .add(ToolCall.of("d", echo, "d"))
            .build();
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .predictor(predictor)
            .scheduling(CriticalPathScheduling.using(predictor))
            .recordSink(records::add)
            .build()) {
      RunResult run = executor.executeGraph(graph);
      assertThat(run.results()).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
    }
    assertThat(asked).containsOnlyKeys("a", "b", "c", "d");
    assertThat(asked.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(records)
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(r.predictedLatency()).isEqualTo(Duration.ofMillis(7));
              assertThat(r.predictionSource()).isEqualTo("test");
            });
  }
}
