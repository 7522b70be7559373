package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A batch of 100,000 calls completes; surefire runs core's tests with -Xmx512m. */
class LargeBatchTest {

  @Test
  void batchOf100kCalls_completesWithin512mHeap() {
    long maxHeap = Runtime.getRuntime().maxMemory();
    assertThat(maxHeap).as("this test must run with -Xmx512m").isLessThanOrEqualTo(512L << 20);
    Tool<Integer, Integer> twice =
        Tools.named("twice").input(Integer.class).function((in, ctx) -> in * 2);
    List<Integer> inputs = IntStream.range(0, 100_000).boxed().toList();

    try (ToolExecutor executor = ToolExecutor.builder().maxConcurrency(256).build()) {
      RunResult run = executor.executeBatch(twice, inputs);

      assertThat(run.results()).hasSize(100_000);
      assertThat(run.report().count(CallStatus.SUCCEEDED)).isEqualTo(100_000);
      assertThat(run.results().get(99_999).value()).isEqualTo(199_998);
      assertThat(run.results().get(12_345).callId()).isEqualTo("twice-12345");
    }
  }
}
