package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static dev.parallax.planner.cache.CacheTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InvalidationTest {

  private final AtomicInteger runs = new AtomicInteger();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Tool<String, String> tool =
      Tools.named("t")
          .cacheable(true)
          .idempotent(true)
          .input(String.class)
          .function(
              (in, ctx) -> {
                int run = runs.incrementAndGet();
                started.countDown();
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                return "run " + run;
              });
  private final CaffeineResultCache cache = CaffeineResultCache.builder().build();

  @Test
  void invalidateAll_dropsStoredResults() {
    release.countDown();
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      executor.executeSequential(List.of(ToolCall.of("a", tool, "q")));
      cache.invalidateAll();
      var again = executor.executeSequential(List.of(ToolCall.of("b", tool, "q"))).get("b");
      assertThat(again.value()).isEqualTo("run 2");
      assertThat(again.cacheHit()).isFalse();
    }
  }

  @Test
  void invalidateAll_duringAComputation_itsCallerGetsTheValue_butItIsNotStored() throws Exception {
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      ToolRun first = executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("a", tool, "q"))));
      await(started, "the computation started");
      cache.invalidateAll();
      release.countDown();
      assertThat(first.result().get(WAIT_SECONDS, TimeUnit.SECONDS).get("a").value())
          .isEqualTo("run 1");

      assertThat(cache.estimatedSize()).isZero();
      var again = executor.executeSequential(List.of(ToolCall.of("b", tool, "q"))).get("b");
      assertThat(again.value()).isEqualTo("run 2");
    }
  }
}
