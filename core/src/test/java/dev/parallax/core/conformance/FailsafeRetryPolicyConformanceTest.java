package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failsafe's functional retry policy tests, translated.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/RetryPolicyTest.java}. Failsafe's {@code
 * withMaxDuration} bounds the retries of one execution; Parallax's counterpart is the run deadline,
 * which also bounds retries (no attempt outlives it).
 *
 * <p>Translated: {@code shouldNotRetry}, {@code shouldThrowOnNonRetriableFailure}, {@code
 * shouldCompleteWhenMaxDurationExceeded}, {@code assertScheduledRetryDelay}. All run in virtual
 * time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeRetryPolicyConformanceTest {

  /** RetryPolicyTest.shouldNotRetry. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldNotRetry_successOnTheFirstAttempt_noRetry(Mode mode) throws Exception {
    try (Harness h = Harness.virtualTime(b -> b.retryPolicy(RetryPolicy.ofDefaults()))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns(true));

      RunResult run = h.run(mode, calls(probe, 0));

      assertThat(run.get("probe-0").value()).isEqualTo(true);
      assertThat(run.get("probe-0").attempts()).isEqualTo(1);
      assertThat(h.events.count("retry#")).isZero();
    }
  }

  /**
   * RetryPolicyTest.shouldThrowOnNonRetriableFailure: an error the classifier does not accept ends
   * the retries at once; the call fails with it.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldThrowOnNonRetriableFailure_nonRetryableErrorEndsTheRetries(Mode mode)
      throws Exception {
    Duration delay = Duration.ofMillis(10);
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(100)
                        .initialDelay(delay)
                        .multiplier(1)
                        .jitter(0)
                        .retryOn(e -> e instanceof IllegalStateException)
                        .build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  Probe.fails(
                      attempt < 3 ? new IllegalStateException() : new IllegalArgumentException()));
      Started started = h.start(mode, calls(probe, 0));

      h.events.await("retry#2 probe-0");
      h.clock().advance(delay);
      h.events.await("retry#3 probe-0");
      h.clock().advance(delay);
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.error()).isInstanceOf(IllegalArgumentException.class);
      assertThat(result.attempts()).isEqualTo(3);
    }
  }

  /**
   * RetryPolicyTest.shouldCompleteWhenMaxDurationExceeded: an attempt that outlives the run's
   * deadline ends the call after that one attempt, {@code TIMED_OUT}, though retries were left.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldCompleteWhenMaxDurationExceeded_attemptOutlivesTheDeadline_noRetry(Mode mode)
      throws Exception {
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.runDeadline(Duration.ofMillis(100))
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .initialDelay(Duration.ZERO)
                            .build()))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitStarts(1);

      h.clock().advance(Duration.ofMillis(120));
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.error()).isInstanceOf(ToolTimeoutException.class);
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(h.events.count("retry#")).isZero();
      probe.awaitInterrupts(1);
    }
  }

  /** RetryPolicyTest.assertScheduledRetryDelay: the scheduled delay is the configured one. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void assertScheduledRetryDelay_listenerSeesTheConfiguredDelay(Mode mode) throws Exception {
    Duration delay = Duration.ofMillis(10);
    try (Harness h =
        Harness.virtualTime(
            b -> b.retryPolicy(RetryPolicy.builder().initialDelay(delay).jitter(0).build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  attempt == 1 ? Probe.fails(new IllegalStateException()) : Probe.returns("ok"));
      Started started = h.start(mode, calls(probe, 0));

      h.events.await("retry#2 probe-0");
      h.clock().advance(delay);
      RunResult run = started.result();

      assertThat(run.get("probe-0").value()).isEqualTo("ok");
      assertThat(h.events.retryDelays()).containsExactly(delay);
      assertThat(run.get("probe-0").runTime())
          .as("virtual time: exactly the delay")
          .isEqualTo(delay);
    }
  }
}
