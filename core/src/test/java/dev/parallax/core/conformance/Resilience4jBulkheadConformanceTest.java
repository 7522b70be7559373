package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.ToolPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resilience4j's semaphore bulkhead tests, translated to Parallax's three limits, each a bulkhead
 * of one permit: a per-tool limit ({@code toolConcurrency}, or a {@code toolPolicy}'s {@code
 * maxConcurrency}), a tool that is not concurrency-safe, and the run's {@code maxConcurrency}.
 *
 * <p>Source: resilience4j/resilience4j, {@code
 * resilience4j-bulkhead/src/test/java/io/github/resilience4j/bulkhead/BulkheadTest.java}. Its
 * {@code shouldDecorate*AndReturnWith{Success,Exception}} cases all check that the permit is given
 * back once the decorated body returns or throws ({@code getAvailableConcurrentCalls() == 1}). The
 * semaphore bulkhead releases its permit in a {@code finally} around the body, so a permit is held
 * until the body really returns. Parallax must do the same when it gives up on an attempt that
 * ignores its interrupt (issue 11 item 6): the call is reported {@code TIMED_OUT} on time, but its
 * permit counts until the body returns, so the limit still protects the downstream.
 *
 * <p>Skipped: {@code shouldReturnFailureWithBulkheadFullException} and {@code
 * shouldReturnFailureWithRuntimeException} (a full Parallax limit queues calls instead of rejecting
 * them), the decorator and {@code Try}/{@code CompletionStage} plumbing cases.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Resilience4jBulkheadConformanceTest {

  /** A bulkhead of one permit, as Parallax spells it. */
  enum Limit {
    PER_TOOL,
    PER_TOOL_POLICY,
    NOT_CONCURRENCY_SAFE,
    PER_RUN;

    UnaryOperator<ToolExecutor.Builder> options() {
      return switch (this) {
        case PER_TOOL -> b -> b.toolConcurrency("probe", 1);
        case PER_TOOL_POLICY ->
            b -> b.toolPolicy("probe", ToolPolicy.builder().maxConcurrency(1).build());
        default -> b -> b;
      };
    }

    boolean concurrencySafe() {
      return this != NOT_CONCURRENCY_SAFE;
    }

    /** Failure mode CONTINUE (a sequence would stop at the first failure) and the run's limit. */
    UnaryOperator<ExecutionPlan> plan(Mode mode) {
      return plan -> {
        ExecutionPlan continuing = plan.withFailureMode(FailureMode.CONTINUE);
        return this == PER_RUN && mode.shape != Mode.Shape.SEQUENTIAL
            ? continuing.withMaxConcurrency(1) // a sequence is limited to one already
            : continuing;
      };
    }
  }

  static Stream<Arguments> modesAndLimits() {
    return Arrays.stream(Mode.values())
        .flatMap(m -> Arrays.stream(Limit.values()).map(l -> Arguments.of(m, l)));
  }

  /**
   * BulkheadTest.shouldDecorate*AndReturnWithSuccess and *AndReturnWithException: whether the body
   * returns or throws, its permit comes back: every call of a one-permit tool runs, one at a time.
   */
  @ParameterizedTest
  @MethodSource("modesAndLimits")
  void shouldDecorateAndReturnWithSuccessOrException_permitComesBackEitherWay(
      Mode mode, Limit limit) throws Exception {
    try (Harness h = Harness.virtualTime(limit.options())) {
      Probe probe =
          h.probe(
              "probe",
              true,
              limit.concurrencySafe(),
              (in, attempt) ->
                  (Integer) in % 2 == 0
                      ? Probe.returns("Hello world")
                      : Probe.fails(new RuntimeException("BAM!")));

      RunResult run = h.run(mode, calls(probe, 0, 1, 2, 3), limit.plan(mode));

      assertThat(run.results())
          .extracting(CallResult::status)
          .containsExactly(
              CallStatus.SUCCEEDED, CallStatus.FAILED, CallStatus.SUCCEEDED, CallStatus.FAILED);
      assertThat(run.results()).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
      assertThat(probe.maxInside()).as("never more bodies than permits").isEqualTo(1);
    }
  }

  /**
   * BulkheadTest's permit accounting after a timeout (issue 11 item 6): the first call's body
   * ignores its interrupt and runs on after its attempt timed out. It is reported {@code TIMED_OUT}
   * at once, but it keeps its permit: the second call starts only after that body really returns,
   * so never are two bodies inside a one-permit limit.
   */
  @ParameterizedTest
  @MethodSource("modesAndLimits")
  void permitIsHeldUntilTheBodyReturns_timedOutStubbornBody_blocksTheNextCallUntilItEnds(
      Mode mode, Limit limit) throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Harness h = Harness.virtualTime(b -> limit.options().apply(b).attemptTimeout(timeout))) {
      Probe probe =
          h.probe(
              "probe",
              true,
              limit.concurrencySafe(),
              (in, attempt) ->
                  (Integer) in == 0 ? Probe.stubborn(release, "late") : Probe.returns("second"));
      Started started = h.start(mode, calls(probe, 0, 1), limit.plan(mode));
      probe.awaitStarts(1);

      h.clock().advance(timeout);
      h.events.await("timed_out probe-0");

      assertThat(started.isDone()).as("the run waits for the second call").isFalse();
      assertThat(h.events.events())
          .as("the timed-out body still holds the only permit")
          .doesNotContain("started#1 probe-1");
      assertThat(probe.inside()).isOne();

      release.countDown();
      RunResult run = started.result();

      assertThat(run.get("probe-0").status())
          .as("reported on time, and a late return changes nothing")
          .isEqualTo(CallStatus.TIMED_OUT);
      assertThat(run.get("probe-1").status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(probe.maxInside()).as("never more bodies than permits").isEqualTo(1);
      assertThat(probe.log())
          .as("the second body enters after the first one left")
          .containsSubsequence(List.of("exit 0#1", "enter 1#1"));
    }
  }

  /**
   * BulkheadTest's invariant under stress (issue 11 item 6 was found this way: "per run 6 of 5, a
   * tool limited to 2 at 4"): many runs at once of a tool limited to two, of a tool that is not
   * concurrency-safe and of a run limited to three, whose bodies take 1 to 3 ms, ignore interrupts
   * and mostly outlive their 1 ms attempt timeout. Whatever the interleaving, no limit is ever
   * exceeded and every call ends exactly once.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void semaphoreUnderStress_timedOutBodiesIgnoringInterrupts_neverExceedAnyLimit(Mode mode)
      throws Exception {
    int runsPerKind = 8;
    Object[] inputs = {0, 1, 2, 3, 4, 5, 6, 7};
    boolean sequence = mode.shape == Mode.Shape.SEQUENTIAL;
    try (Harness h =
        Harness.realTime(
            b -> b.toolConcurrency("limited", 2).attemptTimeout(Duration.ofMillis(1)))) {
      BiFunction<Object, Integer, Probe.Step> work =
          (in, attempt) -> new Probe.Busy(Duration.ofMillis(1 + (Integer) in % 3), "done");
      List<Probe> limited = new ArrayList<>();
      List<Probe> exclusive = new ArrayList<>();
      List<Probe> free = new ArrayList<>();
      List<Started> runs = new ArrayList<>();
      UnaryOperator<ExecutionPlan> continuing = plan -> plan.withFailureMode(FailureMode.CONTINUE);
      for (int r = 0; r < runsPerKind; r++) {
        limited.add(h.probe("limited", true, true, work));
        exclusive.add(h.probe("exclusive", true, false, work));
        free.add(h.probe("free", true, true, work));
        runs.add(h.start(mode, calls(limited.getLast(), inputs), continuing));
        runs.add(h.start(mode, calls(exclusive.getLast(), inputs), continuing));
        runs.add(
            h.start(
                mode,
                calls(free.getLast(), inputs),
                plan ->
                    sequence
                        ? continuing.apply(plan)
                        : continuing.apply(plan).withMaxConcurrency(3)));
      }
      for (Started run : runs) {
        assertThat(run.result().results())
            .extracting(CallResult::status)
            .allMatch(s -> s == CallStatus.SUCCEEDED || s == CallStatus.TIMED_OUT);
      }

      assertThat(mostInside(limited)).as("tool limited to 2").isLessThanOrEqualTo(2);
      assertThat(mostInside(exclusive)).as("tool not concurrency-safe").isEqualTo(1);
      assertThat(mostInside(free)).as("run limited to 3").isLessThanOrEqualTo(sequence ? 1 : 3);
      long calls = (long) runs.size() * inputs.length;
      assertThat(h.events.count("succeeded ") + h.events.count("timed_out "))
          .as("every call ends exactly once")
          .isEqualTo(calls);
      assertThat(h.events.count("run-finished")).isEqualTo(runs.size());
    }
  }

  /** The most bodies any of these probes ever had inside at once. */
  private static int mostInside(List<Probe> probes) {
    return probes.stream().mapToInt(Probe::maxInside).max().orElse(0);
  }
}
