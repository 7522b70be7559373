package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failsafe's interruption tests, translated: interrupting a caller blocked in a sync {@code
 * execute*} cancels its run wherever the run is (a tool running, a retry delay pending, calls
 * waiting for a per-tool permit), and an interrupt the executor itself delivers to a tool never
 * leaks to the caller.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/InterruptionTest.java}. Where Failsafe throws a {@code
 * FailsafeException} caused by {@code InterruptedException}, Parallax returns the cancelled results
 * and sets the caller's interrupt flag again (its documented contract); no checked exception
 * escapes. The first three cases concern a blocked caller, so they run in the sync modes only (the
 * async modes are cancelled through their future or run: {@link
 * FailsafeCallCancellationConformanceTest}).
 *
 * <p>Translated: {@code testInterruptSyncExecution}, {@code testInterruptSyncRetryPolicyDelay},
 * {@code testInterruptBulkheadAcquirePermit} (Parallax's bulkhead is a per-tool limit), {@code
 * shouldResetInterruptFlagAfterInterruption}. Skipped: {@code
 * testInterruptRateLimiterAcquirePermit} (Parallax has no rate limiter).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeInterruptionConformanceTest {

  private static final String SYNC = ".*_SYNC";

  static Stream<Arguments> syncModesAndDelays() {
    return Arrays.stream(Mode.values())
        .filter(m -> m.invocation == Mode.Invocation.SYNC)
        .flatMap(
            m ->
                Stream.of(
                    Arguments.of(m, Duration.ofMillis(500)),
                    // the "no limit" idiom must not overflow (issue 11 item 4)
                    Arguments.of(m, Duration.ofSeconds(Long.MAX_VALUE))));
  }

  /** InterruptionTest.testInterruptSyncExecution. */
  @ParameterizedTest
  @EnumSource(value = Mode.class, mode = EnumSource.Mode.MATCH_ALL, names = SYNC)
  void testInterruptSyncExecution_interruptedCaller_cancelsTheRunAndKeepsItsFlag(Mode mode)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b)) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0, 1));
      int running = mode.shape == Mode.Shape.SEQUENTIAL ? 1 : 2;
      probe.awaitStarts(running);

      started.cancel(); // interrupts the blocked caller
      RunResult run = started.result();

      assertThat(run.results()).extracting(CallResult::status).containsOnly(CallStatus.CANCELLED);
      assertThat(run.results())
          .allSatisfy(r -> assertThat(r.error()).isInstanceOf(CancellationException.class));
      assertThat(started.callerInterruptFlagKept())
          .as("the caller's interrupt flag is set again")
          .isTrue();
      probe.awaitInterrupts(running);
    }
  }

  /**
   * InterruptionTest.testInterruptSyncRetryPolicyDelay, with a short delay and with the "no limit"
   * idiom as delay, which must not overflow (issue 11 item 4): a retry that can never fall due is
   * either pending until the interrupt cancels the run, or not scheduled at all (the call fails at
   * once, its single attempt spent); either way no second attempt starts and nothing hangs.
   */
  @ParameterizedTest
  @MethodSource("syncModesAndDelays")
  void testInterruptSyncRetryPolicyDelay_interruptDuringBackoff_cancelsWithoutAnotherAttempt(
      Mode mode, Duration delay) throws Exception {
    boolean forever = delay.equals(Duration.ofSeconds(Long.MAX_VALUE));
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialDelay(delay)
                        .maxDelay(delay)
                        .jitter(0)
                        .build()))) {
      Probe probe =
          h.probe("probe", (in, attempt) -> Probe.fails(new IllegalStateException("again")));
      Started started = h.start(mode, calls(probe, 0));
      String seen =
          forever
              ? h.events.awaitAny("retry#2 probe-0", "failed probe-0")
              : h.events.awaitAny("retry#2 probe-0");

      started.cancel();
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      if (seen.startsWith("retry")) {
        assertThat(result.status()).isEqualTo(CallStatus.CANCELLED);
        assertThat(started.callerInterruptFlagKept()).isTrue();
      } else {
        assertThat(result.status())
            .as("no retry for a delay of forever")
            .isEqualTo(CallStatus.FAILED);
        assertThat(result.error()).isInstanceOf(IllegalStateException.class);
      }
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(probe.starts()).isEqualTo(1);
      assertThat(h.clock().pendingTasks()).as("the retry timer is cancelled").isZero();
    }
  }

  /**
   * InterruptionTest.testInterruptBulkheadAcquirePermit: calls waiting for the permit of a tool
   * limited to one at a time are cancelled without ever starting.
   */
  @ParameterizedTest
  @EnumSource(value = Mode.class, mode = EnumSource.Mode.MATCH_ALL, names = SYNC)
  void testInterruptBulkheadAcquirePermit_callsWaitingForAPermit_neverStart(Mode mode)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b.toolConcurrency("probe", 1))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0, 1, 2));
      probe.awaitStarts(1);

      started.cancel();
      RunResult run = started.result();

      assertThat(run.results()).extracting(CallResult::status).containsOnly(CallStatus.CANCELLED);
      assertThat(run.results()).extracting(CallResult::attempts).containsExactly(1, 0, 0);
      assertThat(probe.starts()).isEqualTo(1);
      assertThat(started.callerInterruptFlagKept()).isTrue();
    }
  }

  /**
   * InterruptionTest.shouldResetInterruptFlagAfterInterruption: the interrupt with which the
   * executor stops a timed-out tool (which even sets its own flag again) stays on the tool's
   * thread; the caller's thread is not interrupted.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldResetInterruptFlagAfterInterruption_timeoutInterruptNeverReachesTheCaller(Mode mode)
      throws Exception {
    Duration timeout = Duration.ofMillis(1);
    try (Harness h = Harness.virtualTime(b -> b.attemptTimeout(timeout))) {
      Probe probe =
          h.probe("probe", (in, attempt) -> new Probe.BlockThenRestoreFlag("interrupted"));
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitStarts(1);

      h.clock().advance(timeout);
      RunResult run = started.result();

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.TIMED_OUT);
      probe.awaitInterrupts(1);
      assertThat(Thread.currentThread().isInterrupted())
          .as("the test thread, which moved the clock, is not interrupted")
          .isFalse();
      if (mode.invocation == Mode.Invocation.SYNC) {
        assertThat(started.callerInterruptFlagKept())
            .as("the blocked caller is not interrupted")
            .isFalse();
      }
    }
  }
}
