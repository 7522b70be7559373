package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failsafe's tests of computed retry delays, translated.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/DelayableRetryPolicyTest.java}. Failsafe lets the user
 * compute each delay with a function; in Parallax the user code inside a retry policy is its
 * classifier ({@code retryOn}), and the delays follow the policy's backoff.
 *
 * <p>Translated: {@code testUncheckedExceptionInDelayFunction} (user code of the retry policy
 * throws: the execution fails with that exception, sync and async — here the classifier, issue 11
 * item 2), {@code shouldDelayOnMatchingFailureType} (one computed delay per retryable failure).
 * Skipped: {@code shouldDelayOnMatchingResult} (Parallax does not retry on results).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeDelayableRetryPolicyConformanceTest {

  /**
   * DelayableRetryPolicyTest.testUncheckedExceptionInDelayFunction: a classifier that throws (the
   * issue's example: {@code e.getMessage().contains(..)} on an exception without a message) fails
   * the call with an error carrying the classifier's exception; the run finishes and {@code
   * close()} returns.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testUncheckedExceptionInDelayFunction_classifierThrows_callFailsCarryingIt(Mode mode)
      throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    RetryPolicy policy =
        RetryPolicy.builder()
            .initialDelay(Duration.ZERO)
            .retryOn(
                e -> {
                  try {
                    return e.getMessage().contains("try again");
                  } catch (RuntimeException bug) {
                    thrown.set(bug);
                    throw bug;
                  }
                })
            .build();
    try (Harness h = Harness.realTime(b -> b.retryPolicy(policy))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.fails(new RuntimeException()));

      RunResult run = h.run(mode, calls(probe, 0));

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(thrown.get()).isInstanceOf(NullPointerException.class);
      assertThat(causesAndSuppressed(result.error()))
          .as("the call's error carries the classifier's exception")
          .contains(thrown.get());
      assertThat(probe.starts()).as("no retry on a broken classifier").isEqualTo(1);
    }
  }

  /**
   * DelayableRetryPolicyTest.shouldDelayOnMatchingFailureType: every retryable failure gets its
   * delay, computed by the policy's backoff (10 ms doubling, capped at 50 ms, no jitter): 10, 20,
   * 40, 50 ms; five attempts (one plus four retries), then the call fails.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldDelayOnMatchingFailureType_eachRetryGetsItsBackoffDelay(Mode mode) throws Exception {
    List<Duration> expected =
        List.of(
            Duration.ofMillis(10),
            Duration.ofMillis(20),
            Duration.ofMillis(40),
            Duration.ofMillis(50));
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(5)
                        .initialDelay(Duration.ofMillis(10))
                        .multiplier(2)
                        .maxDelay(Duration.ofMillis(50))
                        .jitter(0)
                        .build()))) {
      Probe probe =
          h.probe("probe", (in, attempt) -> Probe.fails(new IllegalStateException("delay me")));
      Started started = h.start(mode, calls(probe, 0));

      for (int retry = 0; retry < expected.size(); retry++) {
        h.events.await("retry#" + (retry + 2) + " probe-0");
        h.clock().advance(expected.get(retry));
      }
      RunResult run = started.result();

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.FAILED);
      assertThat(run.get("probe-0").attempts()).isEqualTo(5);
      assertThat(h.events.retryDelays()).containsExactlyElementsOf(expected);
      assertThat(run.get("probe-0").runTime())
          .as("virtual time: the sum of the delays")
          .isEqualTo(Duration.ofMillis(120));
    }
  }

  /** The error, its causes and everything suppressed along the way. */
  static List<Throwable> causesAndSuppressed(Throwable error) {
    List<Throwable> all = new ArrayList<>();
    collect(error, all);
    return all;
  }

  private static void collect(Throwable error, List<Throwable> all) {
    if (error == null || all.contains(error)) {
      return;
    }
    all.add(error);
    for (Throwable suppressed : error.getSuppressed()) {
      collect(suppressed, all);
    }
    collect(error.getCause(), all);
  }
}
