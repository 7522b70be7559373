package dev.parallax.planner.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.conformance.Harness;
import dev.parallax.core.conformance.Mode;
import dev.parallax.core.conformance.Probe;
import dev.parallax.core.conformance.Started;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.fallback.ToolFallbacks;
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
 * Failsafe's functional timeout tests that compose a timeout with a fallback, translated to the
 * planner's {@link ToolFallbacks}; and the timeout case of the result cache.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/TimeoutTest.java}. Failsafe's "fallback(timeout)" is
 * Parallax's attempt timeout (the alternative runs after the primary's attempt timed out);
 * "timeout(fallback)" is its run deadline (it ends the primary and its alternatives alike).
 * Failsafe's "without interrupt" variant is a primary that ignores its interrupt. The core cases of
 * this file are in core's {@code dev.parallax.core.conformance.FailsafeTimeoutConformanceTest}.
 *
 * <p>Translated: {@code testFallbackTimeoutWithBlockedSupplier}, {@code testFallbackTimeout},
 * {@code testTimeoutFallbackWithBlockedSupplier}, {@code testTimeoutFallbackWithBlockedFallback};
 * and {@code testRetryTimeoutWithBlockedSupplier} for a call waiting on the cache's shared
 * computation (single flight): the caller times out, the computation goes on, and its value serves
 * the next identical call.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeTimeoutConformanceTest {

  /** Whether a blocked primary honours the interrupt of its timed-out attempt. */
  enum Interrupts {
    HONOURED,
    IGNORED
  }

  static Stream<Arguments> modesAndInterrupts() {
    return Arrays.stream(Mode.values())
        .flatMap(m -> Arrays.stream(Interrupts.values()).map(i -> Arguments.of(m, i)));
  }

  /**
   * TimeoutTest.testFallbackTimeoutWithBlockedSupplier: the primary's attempt times out while it is
   * blocked; the fallback runs once, and its own failure is the call's result.
   */
  @ParameterizedTest
  @MethodSource("modesAndInterrupts")
  void testFallbackTimeoutWithBlockedSupplier_timedOutPrimary_fallbackRunsOnce(
      Mode mode, Interrupts interrupts) throws Exception {
    Duration timeout = Duration.ofMillis(10);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException fallbackError = new IllegalStateException("falling back failed");
    Probe primary =
        new Probe(
            "primary",
            true,
            false,
            true,
            (in, attempt) ->
                interrupts == Interrupts.HONOURED
                    ? Probe.blocks()
                    : Probe.stubborn(release, "late"));
    Probe fallback =
        new Probe("fallback", true, false, true, (in, attempt) -> Probe.fails(fallbackError));
    VirtualTime time = new VirtualTime();
    ToolFallbacks fallbacks =
        ToolFallbacks.builder().chain(primary, fallback).timeSource(time).build();
    try (Harness h =
        Harness.virtualTime(time, b -> fallbacks.attachTo(b).attemptTimeout(timeout))) {
      h.register(primary);
      h.register(fallback);
      Started started = h.start(mode, calls(primary, 0));
      primary.awaitStarts(1);

      time.advance(timeout);
      primary.awaitInterrupts(1);
      release.countDown(); // an interrupt-ignoring primary returns late, and is ignored
      RunResult run = started.result();

      CallResult<?> result = run.get("primary-0");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.error()).isSameAs(fallbackError);
      assertThat(result.tool()).isEqualTo("fallback");
      assertThat(result.fallbackFrom()).isEqualTo("primary");
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(fallback.starts()).isOne();
      assertThat(h.events.events())
          .contains("attempt-failed#1 primary-0 ToolTimeoutException")
          .contains("attempt-failed#2 primary-0 IllegalStateException");
    }
  }

  /**
   * TimeoutTest.testFallbackTimeout: the primary fails at once, so its timeout never fires; the
   * fallback runs once and its failure is the result.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testFallbackTimeout_primaryFailsAtOnce_noTimeout_fallbackRunsOnce(Mode mode)
      throws Exception {
    IllegalStateException fallbackError = new IllegalStateException("falling back failed");
    Probe primary =
        new Probe("primary", true, false, true, (in, attempt) -> Probe.fails(new Exception("no")));
    Probe fallback =
        new Probe("fallback", true, false, true, (in, attempt) -> Probe.fails(fallbackError));
    VirtualTime time = new VirtualTime();
    ToolFallbacks fallbacks =
        ToolFallbacks.builder().chain(primary, fallback).timeSource(time).build();
    try (Harness h =
        Harness.virtualTime(
            time, b -> fallbacks.attachTo(b).attemptTimeout(Duration.ofMillis(100)))) {
      h.register(primary);
      h.register(fallback);

      RunResult run = h.run(mode, calls(primary, 0));

      CallResult<?> result = run.get("primary-0");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.error()).isSameAs(fallbackError);
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(fallback.starts()).isOne();
      assertThat(h.events.events()).noneMatch(e -> e.endsWith("ToolTimeoutException"));
      assertThat(time.pendingTasks()).as("no timeout timer is left").isZero();
    }
  }

  /**
   * TimeoutTest.testTimeoutFallbackWithBlockedSupplier: the run deadline interrupts the blocked
   * primary and ends the call {@code TIMED_OUT}; the fallback never runs.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testTimeoutFallbackWithBlockedSupplier_deadlineEndsTheCall_fallbackSkipped(Mode mode)
      throws Exception {
    Duration deadline = Duration.ofMillis(1);
    Probe primary = new Probe("primary", true, false, true, (in, attempt) -> Probe.blocks());
    Probe fallback =
        new Probe(
            "fallback",
            true,
            false,
            true,
            (in, attempt) -> Probe.fails(new IllegalStateException("falling back")));
    VirtualTime time = new VirtualTime();
    ToolFallbacks fallbacks =
        ToolFallbacks.builder().chain(primary, fallback).timeSource(time).build();
    try (Harness h = Harness.virtualTime(time, b -> fallbacks.attachTo(b).runDeadline(deadline))) {
      h.register(primary);
      h.register(fallback);
      Started started = h.start(mode, calls(primary, 0));
      primary.awaitStarts(1);

      time.advance(deadline);
      RunResult run = started.result();

      CallResult<?> result = run.get("primary-0");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.error()).isInstanceOf(ToolTimeoutException.class);
      assertThat(result.attempts()).isOne();
      assertThat(fallback.starts()).as("the fallback is skipped").isZero();
      primary.awaitInterrupts(1);
    }
  }

  /**
   * TimeoutTest.testTimeoutFallbackWithBlockedFallback: the primary fails, the fallback blocks; the
   * run deadline interrupts the fallback and ends the call {@code TIMED_OUT} on the fallback.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testTimeoutFallbackWithBlockedFallback_deadlineInterruptsTheFallback(Mode mode)
      throws Exception {
    Duration deadline = Duration.ofMillis(100);
    Probe primary =
        new Probe("primary", true, false, true, (in, attempt) -> Probe.fails(new Exception("no")));
    Probe fallback = new Probe("fallback", true, false, true, (in, attempt) -> Probe.blocks());
    VirtualTime time = new VirtualTime();
    ToolFallbacks fallbacks =
        ToolFallbacks.builder().chain(primary, fallback).timeSource(time).build();
    try (Harness h = Harness.virtualTime(time, b -> fallbacks.attachTo(b).runDeadline(deadline))) {
      h.register(primary);
      h.register(fallback);
      Started started = h.start(mode, calls(primary, 0));
      fallback.awaitStarts(1);

      time.advance(deadline);
      RunResult run = started.result();

      CallResult<?> result = run.get("primary-0");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.tool()).isEqualTo("fallback");
      assertThat(result.fallbackFrom()).isEqualTo("primary");
      assertThat(result.attempts()).isEqualTo(2);
      fallback.awaitInterrupts(1);
    }
  }

  /**
   * TimeoutTest.testRetryTimeoutWithBlockedSupplier, for a call whose value comes from the cache's
   * shared computation: the call's attempt times out while it waits, the computation goes on, and
   * the next identical call is served its value without running the tool again.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testRetryTimeoutWithBlockedSupplier_cacheWaiterTimesOut_computationServesTheNextCall(
      Mode mode) throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    CountDownLatch gate = new CountDownLatch(1);
    CaffeineResultCache cache = CaffeineResultCache.builder().build();
    try (Harness h = Harness.virtualTime(b -> b.resultCache(cache).attemptTimeout(timeout))) {
      Probe search =
          h.cacheableProbe("search", (in, attempt) -> Probe.after(gate, Probe.returns("hits")));
      Started first = h.start(mode, calls(search, "jvm"));
      search.awaitStarts(1);

      h.clock().advance(timeout);
      RunResult timedOut = first.result();
      gate.countDown();
      RunResult second = h.run(mode, calls(search, "jvm"));

      assertThat(timedOut.get("search-0").status()).isEqualTo(CallStatus.TIMED_OUT);
      CallResult<?> served = second.get("search-0");
      assertThat(served.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(served.value()).isEqualTo("hits");
      assertThat(served.cacheHit()).isTrue();
      assertThat(search.starts()).as("the tool ran once").isOne();
    }
  }
}
