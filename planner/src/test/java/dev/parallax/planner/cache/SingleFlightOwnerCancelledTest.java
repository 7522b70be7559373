package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static dev.parallax.planner.cache.CacheTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A shared computation runs the tool with the context of the call that started it. When that call
 * is cancelled (its run cancelled, its attempt timed out), a tool that honours {@code
 * ctx.checkCancelled()} stops with a {@link java.util.concurrent.CancellationException}: that is
 * the starting call's cancellation, not a failure of the tool, and the other callers, still
 * waiting, must not end with it. Found by {@code ChaosScenariosTest} (facade), seed 1797.
 */
@Timeout(60)
class SingleFlightOwnerCancelledTest {

  private final AtomicInteger runs = new AtomicInteger();
  private final CountDownLatch firstStarted = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseTheTool() {
    release.countDown();
  }

  /** Its first run waits for the test, then checks its context, as a long loop would. */
  private Tool<JsonNode, String> cooperative() {
    return Tools.named("search")
        .idempotent(true)
        .cacheable(true)
        .function(
            (args, ctx) -> {
              if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                ctx.checkCancelled();
              }
              return "fresh:" + args.get("q").asText();
            });
  }

  @Test
  void joinerOfACancelledCallersFlight_isNotFailedWithThatCallersCancellation() throws Exception {
    ToolRegistry registry = ToolRegistry.of(cooperative());
    CountDownLatch joined = new CountDownLatch(1);
    CaffeineResultCache cache = CaffeineResultCache.builder().onJoin(joined::countDown).build();
    try (ToolExecutor executor = ToolExecutor.builder().resultCache(cache).build()) {
      ToolRun first =
          executor.start(
              ExecutionPlan.parallel(List.of(registry.call("a", "search", "{\"q\":\"jvm\"}"))));
      await(firstStarted, "the first call started the computation");
      ToolRun second =
          executor.start(
              ExecutionPlan.parallel(List.of(registry.call("b", "search", "{\"q\":\"jvm\"}"))));
      await(joined, "the second call joined the first one's computation");

      first.cancel();
      assertThat(first.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0).status())
          .isEqualTo(CallStatus.CANCELLED);
      release.countDown(); // the tool now sees its context cancelled and stops

      CallResult<?> b = second.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0);
      assertThat(b.status()).as("%s", b).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(b.value()).isEqualTo("fresh:jvm");
    }
    assertThat(runs).as("the second caller ran the tool itself").hasValue(2);
  }
}
