package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade's {@code hedging(...)}: off by default, one option, the predictor's upper latency. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallaxHedgingOptionTest {

  private final CountDownLatch firstStarted = new CountDownLatch(1);
  private final CountDownLatch firstInterrupted = new CountDownLatch(1);
  private final AtomicInteger calls = new AtomicInteger();

  /** The first call blocks until interrupted; later calls answer at once. */
  private final Tool<String, String> search =
      Tools.named("search")
          .idempotent(true)
          .input(String.class)
          .function(
              (q, ctx) -> {
                if (calls.incrementAndGet() > 1) {
                  return "hedge:" + q;
                }
                firstStarted.countDown();
                try {
                  new CountDownLatch(1).await();
                  return "first:" + q;
                } catch (InterruptedException e) {
                  firstInterrupted.countDown();
                  throw new IllegalStateException("interrupted", e);
                }
              });

  @Test
  void hedging_slowFirstAttemptPastPredictedUpper_isHedgedAndTheLoserInterrupted()
      throws Exception {
    VirtualTime time = new VirtualTime();
    try (Parallax parallax =
        Parallax.builder()
            .hedging(HedgePolicy.builder().budget(1).build()) // the first call earns its hedge
            // an unseen tool: the prior predicts 1 ms, upper 10 ms
            .predictorOptions(p -> p.prior(Duration.ofMillis(1), 10, 0.9))
            .executor(b -> b.timeSource(time))
            .warmStart(false)
            .build()) {
      ToolRun run =
          parallax
              .executor()
              .start(ExecutionPlan.parallel(List.of(ToolCall.of("q", search, "otel"))));
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      time.advance(Duration.ofMillis(10)); // the predicted upper latency passes
      CallResult<?> result = run.result().get(10, TimeUnit.SECONDS).results().get(0);

      assertThat(result.value()).isEqualTo("hedge:otel");
      assertThat(firstInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(parallax.executor().hedgesStarted()).isEqualTo(1);
      assertThat(parallax.executor().hedgesWon()).isEqualTo(1);
    }
  }

  @Test
  void hedging_offByDefault() {
    VirtualTime time = new VirtualTime();
    try (Parallax parallax =
        Parallax.builder()
            .predictorOptions(p -> p.prior(Duration.ofMillis(1), 10, 0.9))
            .executor(b -> b.timeSource(time))
            .warmStart(false)
            .build()) {
      ToolRun run =
          parallax
              .executor()
              .start(ExecutionPlan.parallel(List.of(ToolCall.of("q", search, "otel"))));
      assertThat(awaitQuietly(firstStarted)).isTrue();
      time.advance(Duration.ofSeconds(1));
      assertThat(calls).hasValue(1);
      run.cancel();
      assertThat(parallax.executor().hedgesStarted()).isZero();
    }
  }

  @Test
  void hedging_setTwice_failsTheBuildNamingBoth() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                Parallax.builder()
                    .hedging(HedgePolicy.ofDefaults())
                    .executor(b -> b.hedging(HedgePolicy.ofDefaults()))
                    .warmStart(false)
                    .build())
        .withMessageContaining("hedging(...)");
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
