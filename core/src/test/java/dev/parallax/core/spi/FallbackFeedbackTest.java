package dev.parallax.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: a fallback policy learns outcomes through {@link FallbackPolicy#feedback()}, which the
 * executor registers itself, instead of having to be registered a second time as a listener (and
 * wiring code checking {@code instanceof ExecutionListener}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FallbackFeedbackTest {

  private static final Tool<Integer, Integer> ECHO =
      Tools.named("echo").input(Integer.class).function((n, ctx) -> n);
  private static final Tool<Integer, Integer> BROKEN =
      Tools.named("broken")
          .input(Integer.class)
          .function(
              (n, ctx) -> {
                throw new IllegalStateException("broken " + n);
              });

  /** A policy that never swaps and counts what its feedback hears. */
  private static final class Learning implements FallbackPolicy {
    final AtomicInteger finished = new AtomicInteger();
    final AtomicInteger failedAttempts = new AtomicInteger();
    final @Nullable RuntimeException throwing;

    Learning(@Nullable RuntimeException throwing) {
      this.throwing = throwing;
    }

    @Override
    public ExecutionListener feedback() {
      return new ExecutionListener() {
        @Override
        public void onAttemptFailed(PendingCall call, int attempt, Throwable error) {
          failedAttempts.incrementAndGet();
        }

        @Override
        public void onFinished(PendingCall call, CallResult<?> result) {
          finished.incrementAndGet();
          if (throwing != null) {
            throw throwing;
          }
        }
      };
    }
  }

  @Test
  void feedback_hearsEveryOutcome_whenThePolicyIsOnlySetAsTheFallback() {
    Learning policy = new Learning(null);
    RunResult run;
    try (ToolExecutor executor = ToolExecutor.builder().fallback(policy).build()) {
      run =
          executor.executeParallel(
              List.of(
                  ToolCall.of("a", ECHO, 1),
                  ToolCall.of("b", BROKEN, 2),
                  ToolCall.of("c", ECHO, 3)));
    }

    assertThat(run.get("b").status()).isEqualTo(CallStatus.FAILED);
    assertThat(policy.finished).hasValue(3);
    assertThat(policy.failedAttempts).hasValue(1);
  }

  @Test
  void feedbackThatThrows_isIsolated_likeAnyListener() {
    Learning policy = new Learning(new IllegalStateException("feedback fails"));
    RunResult run;
    try (ToolExecutor executor = ToolExecutor.builder().fallback(policy).build()) {
      run = executor.executeParallel(List.of(ToolCall.of("a", ECHO, 1), ToolCall.of("b", ECHO, 2)));
    }

    assertThat(run.allSucceeded()).isTrue();
    assertThat(policy.finished).hasValue(2);
  }

  @Test
  void aPolicyWithoutFeedback_addsNoListener() {
    assertThat(FallbackPolicy.NONE.feedback()).isNull();
    try (ToolExecutor executor = ToolExecutor.builder().fallback(FallbackPolicy.NONE).build()) {
      assertThat(executor.executeParallel(List.of(ToolCall.of("a", ECHO, 1))).allSucceeded())
          .isTrue();
    }
  }

  @Test
  void seamsSet_namesTheSeamsGivenToTheBuilder_inTheOrderSet() {
    ToolExecutor.Builder builder = ToolExecutor.builder().maxConcurrency(4);
    assertThat(builder.seamsSet()).isEmpty();

    builder.predictor(Predictor.NONE).fallback(FallbackPolicy.NONE).predictor(Predictor.NONE);

    assertThat(builder.seamsSet()).containsExactly("predictor", "fallback");
  }
}
