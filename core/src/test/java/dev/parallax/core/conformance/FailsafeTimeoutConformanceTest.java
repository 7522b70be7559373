package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failsafe's functional timeout tests, translated to Parallax's attempt timeouts and run deadlines.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/TimeoutTest.java}. Failsafe composes a {@code Timeout}
 * inside or outside a {@code RetryPolicy}; in Parallax the attempt timeout is always inside the
 * retries (it limits one attempt) and the run deadline always outside them (it limits the run), so
 * "retry(timeout)" cases use {@code attemptTimeout} and "timeout(retry)" cases use {@code
 * runDeadline}. Failsafe runs each case with and without {@code withInterrupt()}; Parallax always
 * interrupts a timed-out attempt, so the "without interrupt" variant is a tool that ignores the
 * interrupt and keeps running: it must still be reported on time.
 *
 * <p>Translated: {@code shouldNotTimeout}, {@code shouldCancelTimeoutWhenExecutionComplete} (a TODO
 * upstream), {@code testRetryTimeoutWithBlockedSupplier}, {@code testRetryTimeoutWithPendingRetry},
 * {@code testTimeoutRetryWithBlockedSupplier}, {@code testTimeoutRetryWithPendingRetry}. The four
 * {@code Fallback} cases are in the planner's conformance package, where fallbacks live. Everything
 * runs in virtual time: a timeout fires when the test moves the clock, never by waiting.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeTimeoutConformanceTest {

  /** Whether a blocked tool honours the interrupt of its timed-out attempt. */
  enum Interrupts {
    HONOURED,
    IGNORED
  }

  static Stream<Arguments> modesAndInterrupts() {
    return Arrays.stream(Mode.values())
        .flatMap(m -> Arrays.stream(Interrupts.values()).map(i -> Arguments.of(m, i)));
  }

  /** TimeoutTest.shouldNotTimeout and shouldCancelTimeoutWhenExecutionComplete. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldNotTimeout_attemptWithinItsTimeout_succeedsOnce_andItsTimerIsCancelled(Mode mode)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b.attemptTimeout(Duration.ofSeconds(1)))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns("success"));

      RunResult run = h.run(mode, calls(probe, 0, 1));

      assertThat(run.results())
          .extracting(CallResult::status, CallResult::value, CallResult::attempts)
          .containsOnly(tuple(CallStatus.SUCCEEDED, "success", 1));
      assertThat(h.events.count("attempt-failed")).isZero();
      assertThat(h.clock().pendingTasks())
          .as("the timeout timers of finished attempts are cancelled")
          .isZero();
    }
  }

  /**
   * TimeoutTest.shouldNotTimeout with the common "no limit" idiom {@code
   * Duration.ofSeconds(Long.MAX_VALUE)}: a limit too long for nanoseconds is no limit, it must not
   * overflow inside the run (issue 11 item 4).
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldNotTimeout_noLimitIdiomAsAttemptTimeout_succeedsLikeNoTimeout(Mode mode)
      throws Exception {
    try (Harness h =
        Harness.virtualTime(b -> b.attemptTimeout(Duration.ofSeconds(Long.MAX_VALUE)))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns("success"));

      RunResult run = h.run(mode, calls(probe, 0, 1));

      assertThat(run.allSucceeded()).as("results: %s", run.results()).isTrue();
      assertThat(run.results()).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
    }
  }

  /**
   * TimeoutTest.testRetryTimeoutWithBlockedSupplier: an attempt timeout does not stop the retries
   * of a blocked tool; the third attempt answers. With an interrupt-ignoring tool the timed-out
   * attempts are still given up on time, and their late return does not change the result.
   */
  @ParameterizedTest
  @MethodSource("modesAndInterrupts")
  void testRetryTimeoutWithBlockedSupplier_timedOutAttemptsAreRetried_thirdAnswers(
      Mode mode, Interrupts interrupts) throws Exception {
    Duration timeout = Duration.ofMillis(50);
    CountDownLatch[] release = {new CountDownLatch(1), new CountDownLatch(1)};
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.attemptTimeout(timeout)
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .initialDelay(Duration.ofMillis(10))
                            .multiplier(2)
                            .jitter(0)
                            .build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) -> {
                if (attempt == 3) {
                  return Probe.returns("done");
                }
                return interrupts == Interrupts.HONOURED
                    ? Probe.blocks()
                    : Probe.stubborn(release[attempt - 1], "late " + attempt);
              });
      Started started = h.start(mode, calls(probe, 0));

      for (int attempt = 1; attempt <= 2; attempt++) {
        probe.awaitStarts(attempt);
        h.clock().advance(timeout);
        h.events.await("attempt-failed#" + attempt + " probe-0 ToolTimeoutException");
        h.events.await("retry#" + (attempt + 1) + " probe-0");
        probe.awaitInterrupts(attempt); // the body got its interrupt (and may ignore it)
        release[attempt - 1].countDown(); // an interrupt-ignoring body returns late
        h.clock().advance(Duration.ofMillis(10L << (attempt - 1)));
      }
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(result.value()).as("a late return does not change the result").isEqualTo("done");
      assertThat(result.attempts()).isEqualTo(3);
      assertThat(h.events.count("retry#")).isEqualTo(2);
      probe.awaitInterrupts(2);
      assertThat(probe.cancelledWhenInterrupted())
          .as("the attempt knows it was cancelled when interrupted")
          .isEqualTo(2);
    }
  }

  /**
   * TimeoutTest.testRetryTimeoutWithPendingRetry: when an attempt fails and a retry is scheduled,
   * its timeout is cancelled, so it cannot fire into the pending retry; every attempt fails with
   * the tool's own error, none with a timeout.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testRetryTimeoutWithPendingRetry_failedAttemptsTimerIsCancelled_noTimeoutFires(Mode mode)
      throws Exception {
    Duration delay = Duration.ofMillis(100);
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.attemptTimeout(Duration.ofMillis(100))
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .initialDelay(delay)
                            .multiplier(1)
                            .jitter(0)
                            .build()))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.fails(new IllegalStateException("no")));
      Started started = h.start(mode, calls(probe, 0));

      h.events.await("retry#2 probe-0");
      h.clock().advance(delay);
      h.events.await("retry#3 probe-0");
      h.clock().advance(delay);
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.error()).isInstanceOf(IllegalStateException.class);
      assertThat(result.attempts()).isEqualTo(3);
      assertThat(h.events.count("attempt-failed#")).isEqualTo(3);
      assertThat(h.events.events()).noneMatch(e -> e.endsWith("ToolTimeoutException"));
      assertThat(h.clock().pendingTasks()).as("no timer is left behind").isZero();
    }
  }

  /**
   * TimeoutTest.testTimeoutRetryWithBlockedSupplier: a run deadline outside the retries ends them:
   * two attempts fail, the third blocks, the deadline passes; the call ends {@code TIMED_OUT} after
   * three attempts and the blocked one is interrupted.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testTimeoutRetryWithBlockedSupplier_runDeadlineEndsTheRetries_timedOut(Mode mode)
      throws Exception {
    Duration delay = Duration.ofMillis(50);
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.runDeadline(Duration.ofMillis(150))
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(5)
                            .initialDelay(delay)
                            .multiplier(1)
                            .jitter(0)
                            .build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  attempt < 3 ? Probe.fails(new IllegalStateException("no")) : Probe.blocks());
      Started started = h.start(mode, calls(probe, 0));

      h.events.await("retry#2 probe-0");
      h.clock().advance(delay);
      h.events.await("retry#3 probe-0");
      h.clock().advance(delay);
      probe.awaitStarts(3);
      h.clock().advance(delay); // the deadline: 150 ms
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.error()).isInstanceOf(ToolTimeoutException.class);
      assertThat(result.attempts()).isEqualTo(3);
      probe.awaitInterrupts(1);
      assertThat(probe.starts()).isEqualTo(3);
    }
  }

  /**
   * TimeoutTest.testTimeoutRetryWithPendingRetry: a retry that would start after the run deadline
   * never starts. Parallax does not wait for a retry that cannot fit: the call ends by the deadline
   * after one attempt, {@code FAILED} with the tool's error (or {@code CANCELLED} if the retry was
   * pending when the deadline passed), and no timer is left behind.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testTimeoutRetryWithPendingRetry_retryBeyondTheDeadlineNeverStarts(Mode mode)
      throws Exception {
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.runDeadline(Duration.ofMillis(100))
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .initialDelay(Duration.ofSeconds(1))
                            .jitter(0)
                            .build()))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.fails(new IllegalStateException("no")));
      Started started = h.start(mode, calls(probe, 0));

      h.events.await("attempt-failed#1 probe-0 IllegalStateException");
      h.clock().advance(Duration.ofMillis(100));
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isIn(CallStatus.FAILED, CallStatus.CANCELLED);
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(probe.starts()).isEqualTo(1);
      assertThat(h.clock().pendingTasks()).as("no timer is left behind").isZero();
    }
  }
}
