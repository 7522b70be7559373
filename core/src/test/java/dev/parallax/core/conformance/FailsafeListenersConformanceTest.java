package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.spi.PendingCall;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failsafe's listener tests, translated: how many times each lifecycle event fires for a success
 * after retries, a failure the policy does not handle, retries exhausted and an abort; the order of
 * one call's events; and — the guarantee issue 11 item 1 asks for — a listener that throws an
 * {@code Error} never blocks the run, never changes its results, and never keeps the other
 * listeners from their events.
 *
 * <p>Source: failsafe-lib/failsafe, {@code core/src/test/java/dev/failsafe/ListenersTest.java}.
 * Failsafe registers listeners per policy (retry policy, circuit breaker, fallback, executor);
 * Parallax has one {@link ExecutionListener} per executor whose events cover the retry policy's
 * (failed attempt, retry scheduled) and the executor's (finished). Failsafe also retries on results
 * ({@code handleResult(false)}); Parallax retries on errors only, so the scripted tool throws where
 * Failsafe's mock returned {@code false}.
 *
 * <p>Translated: {@code testForSuccess*}, {@code testForUnhandledFailure*}, {@code
 * testForRetriesExceeded*}, {@code testForAbort*} (an {@code Error} aborts: never retried), {@code
 * shouldIgnoreExceptionsInListeners}, {@code testRetryPolicyOnScheduled}. Skipped: the circuit
 * breaker and fallback counters and {@code testFailing{RetryPolicy,CircuitBreaker,Fallback}*}
 * (composition of policies; Parallax's breakers and fallbacks are the planner's {@code
 * ToolFallbacks}), {@code shouldGetElapsedAttemptTime} (a wall-clock assertion).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailsafeListenersConformanceTest {

  private static RetryPolicy.Builder noDelay() {
    return RetryPolicy.builder().initialDelay(Duration.ZERO);
  }

  /** ListenersTest.testForSuccessSync / testForSuccessAsync: four failures, then a success. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testForSuccess_fourFailuresThenSuccess_eventsCounted(Mode mode) throws Exception {
    try (Harness h = Harness.realTime(b -> b.retryPolicy(noDelay().maxAttempts(10).build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  attempt <= 4 ? Probe.fails(new IllegalStateException()) : Probe.returns(true));

      RunResult run = h.run(mode, calls(probe, 0));

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(run.get("probe-0").attempts()).isEqualTo(5);
      assertCounts(h.events, 5, 4, 4, "succeeded");
    }
  }

  /** ListenersTest.testForUnhandledFailure*: two handled failures, then an unhandled one. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testForUnhandledFailure_unhandledErrorEndsTheRetries_eventsCounted(Mode mode)
      throws Exception {
    try (Harness h =
        Harness.realTime(
            b ->
                b.retryPolicy(
                    noDelay()
                        .maxAttempts(10)
                        .retryOn(e -> e instanceof IllegalStateException)
                        .build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  Probe.fails(
                      attempt <= 2 ? new IllegalStateException() : new IllegalArgumentException()));

      RunResult run = h.run(mode, calls(probe, 0));

      assertThat(run.get("probe-0").error()).isInstanceOf(IllegalArgumentException.class);
      assertThat(run.get("probe-0").attempts()).isEqualTo(3);
      assertCounts(h.events, 3, 3, 2, "failed");
    }
  }

  /** ListenersTest.testForRetriesExceeded*: every attempt fails until none is left. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testForRetriesExceeded_attemptsRunOut_eventsCounted(Mode mode) throws Exception {
    try (Harness h = Harness.realTime(b -> b.retryPolicy(noDelay().maxAttempts(4).build()))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.fails(new IllegalStateException()));

      RunResult run = h.run(mode, calls(probe, 0));

      assertThat(run.get("probe-0").error()).isInstanceOf(IllegalStateException.class);
      assertThat(run.get("probe-0").attempts()).isEqualTo(4);
      assertCounts(h.events, 4, 4, 3, "failed");
    }
  }

  /**
   * ListenersTest.testForAbort*: Parallax has no abort predicate; an {@code Error} plays its part,
   * since no policy retries it by default.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testForAbort_anErrorAbortsTheRetries_eventsCounted(Mode mode) throws Exception {
    try (Harness h = Harness.realTime(b -> b.retryPolicy(noDelay().maxAttempts(10).build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  Probe.fails(
                      attempt <= 3 ? new IllegalStateException() : new AssertionError("abort")));

      RunResult run = h.run(mode, calls(probe, 0));

      assertThat(run.get("probe-0").error()).isInstanceOf(AssertionError.class);
      assertThat(run.get("probe-0").attempts()).isEqualTo(4);
      assertCounts(h.events, 4, 4, 3, "failed");
    }
  }

  /**
   * ListenersTest.testRetryPolicyOnScheduled: the events of one call arrive in order, numbered by
   * attempt: a first attempt, then a retry of it.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testRetryPolicyOnScheduled_eventsOfOneCallArriveInOrder(Mode mode) throws Exception {
    try (Harness h = Harness.realTime(b -> b.retryPolicy(noDelay().maxAttempts(2).build()))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.fails(new IllegalStateException()));

      h.run(mode, calls(probe, 0));

      assertThat(h.events.events())
          .containsExactly(
              "run-started 1",
              "queued probe-0",
              "started#1 probe-0",
              "attempt-failed#1 probe-0 IllegalStateException",
              "retry#2 probe-0",
              "started#2 probe-0",
              "attempt-failed#2 probe-0 IllegalStateException",
              "failed probe-0",
              "run-finished");
    }
  }

  /** The listener callback a faulty listener throws from. */
  enum Callback {
    RUN_STARTED,
    QUEUED,
    STARTED,
    ATTEMPT_FAILED,
    RETRY_SCHEDULED,
    FINISHED,
    SKIPPED,
    RUN_FINISHED
  }

  /** A listener that throws an {@code AssertionError} from one callback, every time. */
  private record Throwing(Callback at) implements ExecutionListener {
    private void maybeThrow(Callback callback) {
      if (callback == at) {
        throw new AssertionError("listener bug in " + callback);
      }
    }

    @Override
    public void onRunStarted(String runId, int calls) {
      maybeThrow(Callback.RUN_STARTED);
    }

    @Override
    public void onQueued(PendingCall call) {
      maybeThrow(Callback.QUEUED);
    }

    @Override
    public void onStarted(PendingCall call, int attempt) {
      maybeThrow(Callback.STARTED);
    }

    @Override
    public void onAttemptFailed(PendingCall call, int attempt, Throwable error) {
      maybeThrow(Callback.ATTEMPT_FAILED);
    }

    @Override
    public void onRetryScheduled(PendingCall call, int nextAttempt, Duration delay) {
      maybeThrow(Callback.RETRY_SCHEDULED);
    }

    @Override
    public void onFinished(PendingCall call, CallResult<?> result) {
      maybeThrow(Callback.FINISHED);
    }

    @Override
    public void onSkipped(PendingCall call, CallResult<?> result) {
      maybeThrow(Callback.SKIPPED);
    }

    @Override
    public void onRunFinished(RunResult result) {
      maybeThrow(Callback.RUN_FINISHED);
    }
  }

  static Stream<Arguments> modesAndCallbacks() {
    return Arrays.stream(Mode.values())
        .flatMap(
            m ->
                Arrays.stream(Callback.values())
                    .filter(c -> c != Callback.SKIPPED) // only a graph with edges skips
                    .map(c -> Arguments.of(m, c)));
  }

  /**
   * ListenersTest.shouldIgnoreExceptionsInListeners: whichever callback throws an {@code Error}
   * (issue 11 item 1), the run finishes with the results it would have had, the other listener
   * (registered after the faulty one) still gets every event, and {@code close()} returns. Inputs:
   * 0 succeeds, 1 fails once then succeeds, 2 fails both its attempts.
   */
  @ParameterizedTest
  @MethodSource("modesAndCallbacks")
  void shouldIgnoreExceptionsInListeners_listenerThrowsError_runUnaffected(
      Mode mode, Callback callback) throws Exception {
    try (Harness h =
        Harness.realTime(
            b ->
                b.listener(new Throwing(callback)).retryPolicy(noDelay().maxAttempts(2).build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  switch ((Integer) in) {
                    case 0 -> Probe.returns("ok");
                    case 1 ->
                        attempt == 1
                            ? Probe.fails(new IllegalStateException())
                            : Probe.returns("ok");
                    default -> Probe.fails(new IllegalStateException());
                  });

      RunResult run = h.run(mode, calls(probe, 0, 1, 2));

      assertThat(run.results())
          .extracting(CallResult::status)
          .containsExactly(CallStatus.SUCCEEDED, CallStatus.SUCCEEDED, CallStatus.FAILED);
      assertThat(run.results()).extracting(CallResult::attempts).containsExactly(1, 2, 2);
      assertThat(h.events.count("run-started")).isOne();
      assertThat(h.events.count("queued")).isEqualTo(3);
      assertCounts(h.events, 5, 3, 2, null);
      assertThat(h.events.count("succeeded")).isEqualTo(2);
      assertThat(h.events.count("failed")).isOne();
      h.events.await("run-finished");
    }
  }

  /** ListenersTest.shouldIgnoreExceptionsInListeners for {@code onSkipped}, in a real graph. */
  @ParameterizedTest
  @EnumSource(Mode.Invocation.class)
  void shouldIgnoreExceptionsInListeners_onSkippedThrowsError_graphRunUnaffected(
      Mode.Invocation invocation) throws Exception {
    try (Harness h = Harness.realTime(b -> b.listener(new Throwing(Callback.SKIPPED)))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  in.equals("a") ? Probe.fails(new IllegalStateException()) : Probe.returns(in));
      CallGraph graph =
          CallGraph.builder()
              .add(ToolCall.of("a", probe, "a"))
              .add(ToolCall.of("b", probe, "b"), "a")
              .add(ToolCall.of("c", probe, "c"), "b")
              .add(ToolCall.of("d", probe, "d"))
              .build();

      RunResult run = h.startGraph(invocation, graph).result();

      assertThat(run.results())
          .extracting(CallResult::status)
          .containsExactly(
              CallStatus.FAILED, CallStatus.SKIPPED, CallStatus.SKIPPED, CallStatus.SUCCEEDED);
      assertThat(h.events.events()).contains("skipped b", "skipped c", "run-finished");
    }
  }

  private static void assertCounts(
      EventLog events, int started, int attemptFailed, int retries, String finalEvent) {
    assertThat(events.count("started#")).as("onStarted").isEqualTo(started);
    assertThat(events.count("attempt-failed#")).as("onAttemptFailed").isEqualTo(attemptFailed);
    assertThat(events.count("retry#")).as("onRetryScheduled").isEqualTo(retries);
    if (finalEvent != null) {
      assertThat(events.events())
          .as("one final event")
          .filteredOn(
              e ->
                  List.of("succeeded", "failed", "timed_out", "cancelled", "skipped")
                      .contains(e.split(" ")[0]))
          .containsExactly(finalEvent + " probe-0");
      assertThat(events.count("run-finished")).as("onRunFinished").isOne();
    }
  }
}
