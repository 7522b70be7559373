package dev.parallax.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.testing.SimTool.Step;
import dev.parallax.core.tool.ToolSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final ToolSpec idempotent = SimTool.spec("i", true);
  private final ToolSpec notIdempotent = SimTool.spec("n", false);

  @Test
  void retriesOnlyIdempotentTools_unlessOverridden() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).build();
    IOException error = new IOException("x");
    assertThat(policy.shouldRetry(1, error, idempotent)).isTrue();
    assertThat(policy.shouldRetry(1, error, notIdempotent)).isFalse();
    assertThat(policy.shouldRetry(3, error, idempotent)).as("attempts exhausted").isFalse();
    RetryPolicy override = RetryPolicy.builder().retryNonIdempotent(true).build();
    assertThat(override.shouldRetry(1, error, notIdempotent)).isTrue();
  }

  @Test
  void classifierDecidesWhichErrorsAreRetryable_andErrorsAreNotByDefault() {
    RetryPolicy defaults = RetryPolicy.ofDefaults();
    assertThat(defaults.shouldRetry(1, new OutOfMemoryError(), idempotent)).isFalse();
    RetryPolicy onlyIo = RetryPolicy.builder().retryOn(e -> e instanceof IOException).build();
    assertThat(onlyIo.shouldRetry(1, new IOException(), idempotent)).isTrue();
    assertThat(onlyIo.shouldRetry(1, new IllegalArgumentException(), idempotent)).isFalse();
  }

  @Test
  void delaysGrowExponentially_areCappedAtMaxDelay_andJitterStaysInBounds() {
    RetryPolicy exact =
        RetryPolicy.builder()
            .initialDelay(Duration.ofMillis(100))
            .multiplier(3)
            .maxDelay(Duration.ofSeconds(1))
            .jitter(0)
            .build();
    assertThat(exact.delayAfter(1, 0.7)).isEqualTo(Duration.ofMillis(100));
    assertThat(exact.delayAfter(2, 0.7)).isEqualTo(Duration.ofMillis(300));
    assertThat(exact.delayAfter(3, 0.7)).isEqualTo(Duration.ofMillis(900));
    assertThat(exact.delayAfter(4, 0.7)).isEqualTo(Duration.ofSeconds(1));
    assertThat(exact.delayAfter(60, 0.7)).isEqualTo(Duration.ofSeconds(1));

    RetryPolicy jittered =
        RetryPolicy.builder()
            .initialDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofSeconds(10))
            .jitter(0.5)
            .build();
    assertThat(jittered.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(50));
    assertThat(jittered.delayAfter(1, 0.5)).isEqualTo(Duration.ofMillis(100));
    assertThat(jittered.delayAfter(1, 0.999999))
        .isBetween(Duration.ofMillis(149), Duration.ofMillis(150));
  }

  @Test
  void nonIdempotentTool_isNotRetried_inARun() {
    Sim sim = new Sim(b -> b.retryPolicy(RetryPolicy.builder().maxAttempts(5).build()));
    SimTool once = new SimTool(notIdempotent, (in, attempt) -> Step.fail(10, new IOException("x")));
    RunResult run = sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("c", once, 1))));
    assertThat(run.get("c").attempts()).isEqualTo(1);
    assertThat(run.get("c").status()).isEqualTo(CallStatus.FAILED);
  }

  @Test
  void retryThatWouldPassTheRunDeadline_isNotScheduled() {
    Sim sim =
        new Sim(
            b ->
                b.retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(5)
                        .initialDelay(Duration.ofSeconds(1))
                        .jitter(0)
                        .build()));
    SimTool failing =
        new SimTool(idempotent, (in, attempt) -> Step.fail(10, new IOException("down")));
    RunResult run =
        sim.run(
            ExecutionPlan.parallel(List.of(ToolCall.of("c", failing, 1)))
                .withDeadline(Duration.ofMillis(500)));
    assertThat(run.get("c").status()).isEqualTo(CallStatus.FAILED);
    assertThat(run.get("c").error()).hasMessage("down");
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void timedOutAttempts_areRetriedLikeFailures() {
    Sim sim =
        new Sim(
            b ->
                b.attemptTimeout(Duration.ofMillis(100))
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(2)
                            .initialDelay(Duration.ofMillis(10))
                            .jitter(0)
                            .build()));
    SimTool slowThenFast =
        new SimTool(
            idempotent,
            (in, attempt) -> attempt == 1 ? Step.ok(1_000, "late") : Step.ok(20, "fast"));
    RunResult run = sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("c", slowThenFast, 1))));
    assertThat(run.get("c").value()).isEqualTo("fast");
    assertThat(run.get("c").attempts()).isEqualTo(2);
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(130));
  }
}
