package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SkippedException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * goagent's ToolExecutor tests, translated.
 *
 * <p>Source: kart-io/goagent, {@code tools/parallel_test.go} (the executor is {@code
 * tools/executor_tool.go}: a buffered-channel semaphore whose slot a goroutine frees in a {@code
 * defer}, once the tool really returns). Its wall-clock assertions ({@code duration <
 * 30*time.Millisecond}) become structural ones: the calls of a parallel run meet inside the tool at
 * the same time; timing claims belong in benchmarks.
 *
 * <p>Translated: {@code TestParallelToolExecutor_ExecuteParallel}, {@code
 * TestToolExecutor_ConcurrencyLimit}, {@code TestToolExecutor_WithRetry}, {@code
 * TestToolExecutor_NonRetryableError}, {@code TestToolExecutor_WithDependencies} (with the ordering
 * goagent only hints at, and {@code ExecuteWithDependencies}' "skipped due to failed
 * dependencies"), {@code TestToolExecutor_Timeout} (skipped as flaky upstream; deterministic here
 * in virtual time), {@code TestToolExecutor_Metrics}, {@code TestBatchToolExecutor}. Skipped:
 * {@code TestToolExecutor_Creation} (builder defaults, covered by the builder's own tests).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GoagentParallelConformanceTest {

  /**
   * TestParallelToolExecutor_ExecuteParallel: results come back in call order, each with its call
   * id and output; in every mode but a sequence the three calls are inside the tool at once.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testExecuteParallel_resultsInCallOrder_callsOverlap(Mode mode) throws Exception {
    boolean overlap = mode.shape != Mode.Shape.SEQUENTIAL;
    CountDownLatch allInside = new CountDownLatch(3);
    try (Harness h = Harness.virtualTime(b -> b.maxConcurrency(3))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) -> {
                Probe.Step output = Probe.returns("output" + in);
                return overlap ? new Probe.Rendezvous(allInside, output) : output;
              });

      RunResult run = h.run(mode, calls(probe, 1, 2, 3));

      assertThat(run.results())
          .extracting(CallResult::callId, CallResult::value, CallResult::error)
          .containsExactly(
              tuple("probe-0", "output1", null),
              tuple("probe-1", "output2", null),
              tuple("probe-2", "output3", null));
      assertThat(probe.maxInside()).isEqualTo(overlap ? 3 : 1);
    }
  }

  /**
   * TestToolExecutor_ConcurrencyLimit: with a limit of two, two of five calls start and the others
   * wait; never more than two run at once, and all five end.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testConcurrencyLimit_neverMoreThanTheLimit_allEnd(Mode mode) throws Exception {
    int limit = mode.shape == Mode.Shape.SEQUENTIAL ? 1 : 2;
    CountDownLatch gate = new CountDownLatch(1);
    try (Harness h = Harness.virtualTime(b -> b.maxConcurrency(2))) {
      Probe probe =
          h.probe("probe", (in, attempt) -> Probe.after(gate, Probe.returns("output_" + in)));
      Started started = h.start(mode, calls(probe, 0, 1, 2, 3, 4));

      probe.awaitInside(limit);
      assertThat(h.events.count("started#")).as("the others wait for a slot").isEqualTo(limit);
      gate.countDown();
      RunResult run = started.result();

      assertThat(run.allSucceeded()).isTrue();
      assertThat(run.results()).hasSize(5);
      assertThat(probe.maxInside()).isEqualTo(limit);
    }
  }

  /** TestToolExecutor_WithRetry: a tool failing twice with a retryable error then succeeds. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testWithRetry_twoRetryableFailuresThenSuccess(Mode mode) throws Exception {
    try (Harness h =
        Harness.realTime(
            b ->
                b.maxConcurrency(1)
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .initialDelay(Duration.ZERO)
                            .retryOn(e -> String.valueOf(e.getMessage()).contains("temporary"))
                            .build()))) {
      Probe probe =
          h.probe(
              "retry_tool",
              (in, attempt) ->
                  attempt < 3
                      ? Probe.fails(new IllegalStateException("temporary_failure"))
                      : Probe.returns("success"));

      RunResult run = h.run(mode, calls(probe, 0));

      CallResult<?> result = run.get("retry_tool-0");
      assertThat(result.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(result.value()).isEqualTo("success");
      assertThat(result.error()).isNull();
      assertThat(result.attempts()).isEqualTo(3);
      assertThat(probe.starts()).isEqualTo(3);
    }
  }

  /** TestToolExecutor_NonRetryableError: a permanent error is not retried; it is the result. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testNonRetryableError_failsAtOnce_errorInTheResult(Mode mode) throws Exception {
    try (Harness h =
        Harness.realTime(
            b ->
                b.retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(4)
                        .initialDelay(Duration.ZERO)
                        .retryOn(e -> String.valueOf(e.getMessage()).contains("temporary"))
                        .build()))) {
      Probe probe =
          h.probe(
              "fail_tool",
              (in, attempt) -> Probe.fails(new IllegalStateException("permanent_error")));

      RunResult run = h.run(mode, calls(probe, 0));

      CallResult<?> result = run.get("fail_tool-0");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.value()).isNull();
      assertThat(result.error()).hasMessageContaining("permanent_error");
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(run.allSucceeded()).isFalse();
    }
  }

  /**
   * TestToolExecutor_WithDependencies: call2 needs call1, call3 needs both; they run in dependency
   * order even with room for all three at once.
   */
  @ParameterizedTest
  @EnumSource(Mode.Invocation.class)
  void testWithDependencies_runInDependencyOrder(Mode.Invocation invocation) throws Exception {
    try (Harness h = Harness.realTime(b -> b.maxConcurrency(3))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns("output_" + in));
      CallGraph graph =
          CallGraph.builder()
              .add(ToolCall.of("call3", probe, 3), "call1", "call2")
              .add(ToolCall.of("call2", probe, 2), "call1")
              .add(ToolCall.of("call1", probe, 1))
              .build();

      RunResult run = h.startGraph(invocation, graph).result();

      assertThat(run.allSucceeded()).isTrue();
      assertThat(run.results())
          .extracting(CallResult::callId)
          .containsExactly("call3", "call2", "call1");
      assertThat(probe.log().stream().filter(e -> e.startsWith("enter")))
          .containsExactly("enter 1#1", "enter 2#1", "enter 3#1");
    }
  }

  /**
   * goagent's ExecuteWithDependencies, "skipped due to failed dependencies": when call1 fails, the
   * calls that need it, directly or not, are skipped and never run.
   */
  @ParameterizedTest
  @EnumSource(Mode.Invocation.class)
  void testWithDependencies_failedDependency_skipsItsDependents(Mode.Invocation invocation)
      throws Exception {
    try (Harness h = Harness.realTime(b -> b)) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  (Integer) in == 1
                      ? Probe.fails(new IllegalStateException("call1 broke"))
                      : Probe.returns("output_" + in));
      CallGraph graph =
          CallGraph.builder()
              .add(ToolCall.of("call1", probe, 1))
              .add(ToolCall.of("call2", probe, 2), "call1")
              .add(ToolCall.of("call3", probe, 3), "call1", "call2")
              .add(ToolCall.of("call4", probe, 4))
              .build();

      RunResult run = h.startGraph(invocation, graph).result();

      assertThat(run.results())
          .extracting(CallResult::status)
          .containsExactly(
              CallStatus.FAILED, CallStatus.SKIPPED, CallStatus.SKIPPED, CallStatus.SUCCEEDED);
      assertThat(run.get("call2").error())
          .isInstanceOfSatisfying(
              SkippedException.class, e -> assertThat(e.dependency()).isEqualTo("call1"));
      assertThat(run.get("call3").attempts()).isZero();
      assertThat(probe.starts()).isEqualTo(2);
    }
  }

  /**
   * TestToolExecutor_Timeout (skipped upstream as flaky): a tool slower than the timeout ends
   * {@code TIMED_OUT} with an error naming the limit, and is interrupted.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testTimeout_slowTool_timedOutWithTheLimitInTheError(Mode mode) throws Exception {
    Duration timeout = Duration.ofMillis(50);
    try (Harness h = Harness.virtualTime(b -> b.maxConcurrency(1).attemptTimeout(timeout))) {
      Probe probe = h.probe("slow_tool", (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitStarts(1);

      h.clock().advance(timeout);
      RunResult run = started.result();

      CallResult<?> result = run.get("slow_tool-0");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.error())
          .isInstanceOfSatisfying(
              ToolTimeoutException.class, e -> assertThat(e.limit()).isEqualTo(timeout))
          .hasMessageContaining("slow_tool-0")
          .hasMessageContaining(timeout.toString());
      probe.awaitInterrupts(1);
    }
  }

  /** TestToolExecutor_Metrics: two successes and a failure are counted as such. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testMetrics_mixedOutcomes_countedByStatus(Mode mode) throws Exception {
    try (Harness h = Harness.realTime(b -> b.maxConcurrency(3))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  (Integer) in < 2
                      ? Probe.returns("output")
                      : Probe.fails(new IllegalStateException("failed")));

      RunResult run = h.run(mode, calls(probe, 0, 1, 2));

      assertThat(run.results()).hasSize(3);
      assertThat(run.report().count(CallStatus.SUCCEEDED)).isEqualTo(2);
      assertThat(run.report().count(CallStatus.FAILED)).isEqualTo(1);
      assertThat(run.allSucceeded()).isFalse();
    }
  }

  /** TestBatchToolExecutor: five calls, five outputs, in order. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testBatchToolExecutor_fiveOutputsInOrder(Mode mode) throws Exception {
    try (Harness h = Harness.realTime(b -> b.maxConcurrency(3))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns("output" + in));

      RunResult run = h.run(mode, calls(probe, 0, 1, 2, 3, 4));

      assertThat(run.results().stream().<Object>map(CallResult::value))
          .containsExactly("output0", "output1", "output2", "output3", "output4");
    }
  }
}
