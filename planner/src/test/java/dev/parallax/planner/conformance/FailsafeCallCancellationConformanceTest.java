package dev.parallax.planner.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.conformance.Harness;
import dev.parallax.core.conformance.Mode;
import dev.parallax.core.conformance.Probe;
import dev.parallax.core.conformance.Started;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.fallback.ToolFallbacks;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failsafe's call cancellation tests, translated to the planner's fallbacks and result cache:
 * cancelling a run stops its fallback chain where it is, and cancelling one caller of a shared
 * cache computation leaves the computation to the others.
 *
 * <p>Source: failsafe-lib/failsafe, {@code
 * core/src/test/java/dev/failsafe/functional/CallCancellationTest.java}. The core cases of this
 * file are in core's {@code dev.parallax.core.conformance.FailsafeCallCancellationConformanceTest}.
 *
 * <p>Translated: {@code shouldCancelRetriesWithBlockedExecution}, with the blocked execution being
 * a fallback's attempt, and with it being the single-flight computation two runs wait for.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeCallCancellationConformanceTest {

  /**
   * CallCancellationTest.shouldCancelRetriesWithBlockedExecution, blocked in a fallback: the
   * primary failed, the first alternative blocks; a cancel interrupts it, ends the call {@code
   * CANCELLED}, and the last alternative never runs.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldCancelRetriesWithBlockedExecution_inAFallback_chainStopsThere(Mode mode)
      throws Exception {
    Probe primary =
        new Probe(
            "primary",
            true,
            false,
            true,
            (in, attempt) -> Probe.fails(new IllegalStateException("down")));
    Probe second = new Probe("second", true, false, true, (in, attempt) -> Probe.blocks());
    Probe third = new Probe("third", true, false, true, (in, attempt) -> Probe.returns("late"));
    VirtualTime time = new VirtualTime();
    ToolFallbacks fallbacks =
        ToolFallbacks.builder().chain(primary, second, third).timeSource(time).build();
    try (Harness h = Harness.virtualTime(time, fallbacks::attachTo)) {
      h.register(primary);
      h.register(second);
      h.register(third);
      Started started = h.start(mode, calls(primary, 0));
      second.awaitStarts(1);

      started.cancel();
      RunResult run = started.result();

      CallResult<?> result = run.get("primary-0");
      assertThat(result.status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(result.error()).isInstanceOf(CancellationException.class);
      assertThat(result.tool()).isEqualTo("second");
      second.awaitInterrupts(1);
      assertThat(second.cancelledWhenInterrupted()).isOne();
      assertThat(third.starts()).as("no alternative after a cancel").isZero();
    }
  }

  /**
   * CallCancellationTest.shouldCancelRetriesWithBlockedExecution, blocked in the cache's shared
   * computation: two runs wait for one computation; cancelling the first leaves it running for the
   * second, which gets its value; the tool ran once.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldCancelRetriesWithBlockedExecution_sharedComputationOutlivesOneCaller(Mode mode)
      throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CaffeineResultCache cache = CaffeineResultCache.builder().build();
    try (Harness h = Harness.virtualTime(b -> b.resultCache(cache))) {
      Probe search =
          h.cacheableProbe("search", (in, attempt) -> Probe.after(gate, Probe.returns("hits")));
      Started first = h.start(mode, calls(search, "jvm"));
      search.awaitStarts(1);
      ToolRun second = h.executor.start(ExecutionPlan.parallel(calls(search, "jvm")));
      h.events.awaitCount("started#1 search-0", 2); // the second run's call started too

      first.cancel();
      RunResult cancelled = first.result();
      gate.countDown();
      RunResult served = second.result().get(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS);

      assertThat(cancelled.get("search-0").status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(served.get("search-0").status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(served.get("search-0").value()).isEqualTo("hits");
      assertThat(served.get("search-0").cacheHit()).isTrue();
      assertThat(search.starts()).as("the tool ran once").isOne();
    }
  }
}
