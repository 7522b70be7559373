package dev.parallax.planner.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.conformance.Harness;
import dev.parallax.core.conformance.Mode;
import dev.parallax.core.conformance.Probe;
import dev.parallax.core.conformance.Started;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.planner.fallback.ToolFallbacks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failsafe's computed-delay test that ends in a fallback, translated to a retry policy and the
 * planner's {@link ToolFallbacks}.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/DelayableRetryPolicyTest.java}, whose {@code
 * shouldDelayOnMatchingFailureType} composes {@code Fallback.of(123)} around a retry policy: the
 * retries are spent first, each after its delay, then the fallback answers. The other cases of this
 * file are in core's {@code
 * dev.parallax.core.conformance.FailsafeDelayableRetryPolicyConformanceTest}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeDelayableRetryPolicyConformanceTest {

  /**
   * DelayableRetryPolicyTest.shouldDelayOnMatchingFailureType: five attempts on the primary (one
   * plus four retries, each after its backoff delay: 10, 20, 40, 50 ms), then the fallback answers
   * 123.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldDelayOnMatchingFailureType_retriesSpentWithTheirDelays_thenFallbackAnswers(Mode mode)
      throws Exception {
    List<Duration> delays =
        List.of(
            Duration.ofMillis(10),
            Duration.ofMillis(20),
            Duration.ofMillis(40),
            Duration.ofMillis(50));
    Probe primary =
        new Probe(
            "primary",
            true,
            false,
            true,
            (in, attempt) -> Probe.fails(new IllegalStateException("delay me")));
    Probe fallback = new Probe("fallback", true, false, true, (in, attempt) -> Probe.returns(123));
    VirtualTime time = new VirtualTime();
    ToolFallbacks fallbacks =
        ToolFallbacks.builder().chain(primary, fallback).timeSource(time).build();
    RetryPolicy retries =
        RetryPolicy.builder()
            .maxAttempts(5)
            .initialDelay(Duration.ofMillis(10))
            .multiplier(2)
            .maxDelay(Duration.ofMillis(50))
            .jitter(0)
            .build();
    try (Harness h = Harness.virtualTime(time, b -> fallbacks.attachTo(b).retryPolicy(retries))) {
      h.register(primary);
      h.register(fallback);
      Started started = h.start(mode, calls(primary, 0));

      for (int retry = 0; retry < delays.size(); retry++) {
        h.events.await("retry#" + (retry + 2) + " primary-0");
        time.advance(delays.get(retry));
      }
      RunResult run = started.result();

      CallResult<?> result = run.get("primary-0");
      assertThat(result.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(result.value()).as("the fallback is used").isEqualTo(123);
      assertThat(result.tool()).isEqualTo("fallback");
      assertThat(result.fallbackFrom()).isEqualTo("primary");
      assertThat(result.fallbackReason()).contains("primary failed");
      assertThat(primary.starts()).as("one attempt plus four retries").isEqualTo(5);
      assertThat(result.attempts()).isEqualTo(6);
      assertThat(h.events.retryDelays()).containsExactlyElementsOf(delays);
    }
  }
}
