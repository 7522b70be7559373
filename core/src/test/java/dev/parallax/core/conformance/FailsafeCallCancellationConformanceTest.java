package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failsafe's call cancellation tests, translated: cancelling a run stops its retries whether an
 * attempt is blocked or a retry delay is pending, and a cancelled attempt knows it was cancelled.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/CallCancellationTest.java}. Failsafe cancels a {@code
 * Call}; Parallax cancels the way each mode allows: interrupting a sync caller, cancelling an async
 * future ({@code cancel(true)}), or {@code ToolRun.cancel()}. Failsafe's "without interrupt"
 * variant has no counterpart: Parallax always interrupts a cancelled attempt.
 *
 * <p>Translated: {@code shouldCancelRetriesWithBlockedExecution}, {@code
 * shouldCancelRetriesWithPendingDelay}. Skipped: {@code shouldPropagateCancelToCallback} (a tool's
 * context has no cancel callback; it sees {@code isCancelled()}, checked in the first case).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeCallCancellationConformanceTest {

  private static RetryPolicy retries(Duration delay) {
    return RetryPolicy.builder().maxAttempts(3).initialDelay(delay).maxDelay(delay).build();
  }

  /** CallCancellationTest.shouldCancelRetriesWithBlockedExecution. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldCancelRetriesWithBlockedExecution_blockedAttemptIsInterrupted_noRetryFollows(Mode mode)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b.retryPolicy(retries(Duration.ZERO)))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitStarts(1);

      started.cancel();
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(result.error()).isInstanceOf(CancellationException.class);
      assertThat(result.attempts()).isEqualTo(1);
      probe.awaitInterrupts(1);
      assertThat(probe.cancelledBeforeInterrupt()).as("not cancelled before").isZero();
      assertThat(probe.cancelledWhenInterrupted()).as("isCancelled() when interrupted").isOne();
      assertThat(h.events.count("retry#")).as("no retry after a cancel").isZero();
      assertThat(probe.starts()).isEqualTo(1);
      if (mode.invocation == Mode.Invocation.SYNC) {
        assertThat(started.callerInterruptFlagKept()).isTrue();
      }
    }
  }

  /** CallCancellationTest.shouldCancelRetriesWithPendingDelay. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldCancelRetriesWithPendingDelay_cancelDuringBackoff_noOtherAttempt_noTimerLeft(Mode mode)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b.retryPolicy(retries(Duration.ofMinutes(1))))) {
      Probe probe =
          h.probe("probe", (in, attempt) -> Probe.fails(new IllegalStateException("again")));
      Started started = h.start(mode, calls(probe, 0));
      h.events.await("retry#2 probe-0");

      started.cancel();
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(probe.starts()).isEqualTo(1);
      assertThat(h.clock().pendingTasks()).as("the pending retry's timer is cancelled").isZero();
      assertThat(h.events.count("run-finished")).isOne();
    }
  }
}
