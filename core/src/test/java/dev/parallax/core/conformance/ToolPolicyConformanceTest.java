package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ResultCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-tool and per-capability policies (issue 12 item 4) in every {@link Mode}, in virtual time:
 * which policy applies (tool over capability over the executor's default, option by option), and
 * how a tool's own timeout and retries meet the run deadline, the result cache and fallbacks. The
 * precedence cases follow Failsafe's policy-composition idea (a policy configured closer to the
 * call wins); the stress case follows Resilience4j's {@code BulkheadTest} invariant, as {@link
 * Resilience4jBulkheadConformanceTest} does for {@code toolConcurrency}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ToolPolicyConformanceTest {

  private static final Duration LONG = Duration.ofHours(1);

  /** Where the policy under test is set: on the tool, or on a capability the tool declares. */
  enum Level {
    TOOL,
    CAPABILITY;

    ToolExecutor.Builder set(ToolExecutor.Builder b, ToolPolicy policy) {
      return this == TOOL ? b.toolPolicy("probe", policy) : b.capabilityPolicy("web", policy);
    }
  }

  static Stream<Arguments> modesAndLevels() {
    return Arrays.stream(Mode.values())
        .flatMap(m -> Arrays.stream(Level.values()).map(l -> Arguments.of(m, l)));
  }

  /** A probe named {@code probe} with capability {@code web}, registered with the harness. */
  private static Probe webProbe(Harness h, BiFunction<Object, Integer, Probe.Step> script) {
    return h.register(new Probe("probe", true, false, true, Set.of("web"), script));
  }

  @ParameterizedTest
  @MethodSource("modesAndLevels")
  void attemptTimeout_ofTheToolOrItsCapability_overridesTheExecutorDefault(Mode mode, Level level)
      throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    try (Harness h =
        Harness.virtualTime(
            b ->
                level.set(
                    b.attemptTimeout(LONG),
                    ToolPolicy.builder().attemptTimeout(timeout).build()))) {
      Probe probe = webProbe(h, (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitStarts(1);

      h.clock().advance(timeout.minusMillis(1));
      assertThat(h.events.contains("timed_out probe-0")).isFalse();
      h.clock().advance(Duration.ofMillis(1));
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.error())
          .isInstanceOf(ToolTimeoutException.class)
          .hasMessageContaining("PT1S");
      assertThat(result.finishedAt()).isEqualTo(result.startedAt().plus(timeout));
    }
  }

  @ParameterizedTest
  @MethodSource("modesAndLevels")
  void retry_ofTheToolOrItsCapability_overridesTheExecutorDefault(Mode mode, Level level)
      throws Exception {
    Duration delay = Duration.ofMillis(10);
    RetryPolicy retry =
        RetryPolicy.builder().maxAttempts(3).initialDelay(delay).multiplier(1).jitter(0).build();
    try (Harness h =
        Harness.virtualTime(
            b ->
                level.set(
                    b.retryPolicy(RetryPolicy.none()),
                    ToolPolicy.builder().retry(retry).build()))) {
      Probe probe =
          webProbe(
              h,
              (in, attempt) ->
                  attempt < 3 ? Probe.fails(new IllegalStateException()) : Probe.returns("ok"));
      Started started = h.start(mode, calls(probe, 0));

      h.events.await("retry#2 probe-0");
      h.clock().advance(delay);
      h.events.await("retry#3 probe-0");
      h.clock().advance(delay);
      RunResult run = started.result();

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(run.get("probe-0").attempts()).isEqualTo(3);
    }
  }

  /**
   * The capability sets a 1 s timeout and two attempts, the tool only a 5 s timeout: the tool's
   * timeout wins, the retries still come from the capability.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void toolPolicy_overridesItsCapabilityPolicy_optionByOption(Mode mode) throws Exception {
    Duration delay = Duration.ofMillis(10);
    ToolPolicy web =
        ToolPolicy.builder()
            .attemptTimeout(Duration.ofSeconds(1))
            .retry(
                RetryPolicy.builder()
                    .maxAttempts(2)
                    .initialDelay(delay)
                    .multiplier(1)
                    .jitter(0)
                    .build())
            .build();
    ToolPolicy own = ToolPolicy.builder().attemptTimeout(Duration.ofSeconds(5)).build();
    try (Harness h =
        Harness.virtualTime(b -> b.capabilityPolicy("web", web).toolPolicy("probe", own))) {
      Probe probe = webProbe(h, (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitStarts(1);

      h.clock().advance(Duration.ofSeconds(1));
      assertThat(h.events.count("attempt-failed#1"))
          .as("the capability's 1 s is overridden")
          .isZero();
      h.clock().advance(Duration.ofSeconds(4));
      h.events.await("retry#2 probe-0");
      h.clock().advance(delay);
      probe.awaitStarts(2);
      h.clock().advance(Duration.ofSeconds(5));
      RunResult run = started.result();

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(run.get("probe-0").attempts()).as("the capability's retries").isEqualTo(2);
    }
  }

  /** A tool's 1 h timeout does not outlast the run's 1 s deadline. */
  @ParameterizedTest
  @MethodSource("modesAndLevels")
  void runDeadline_endsACallBeforeItsToolsLongerTimeout(Mode mode, Level level) throws Exception {
    Duration deadline = Duration.ofSeconds(1);
    try (Harness h =
        Harness.virtualTime(
            b ->
                level.set(
                    b.runDeadline(deadline), ToolPolicy.builder().attemptTimeout(LONG).build()))) {
      Probe probe = webProbe(h, (in, attempt) -> Probe.blocks());
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitStarts(1);

      h.clock().advance(deadline);
      RunResult run = started.result();

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(run.get("probe-0").error()).hasMessageContaining("deadline");
      assertThat(run.report().elapsed()).isEqualTo(deadline);
    }
  }

  /**
   * The tool's retry delay would fall after the run's deadline: the call is not retried, it ends
   * with its error at once.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void toolRetry_delayPastTheRunDeadline_isNotScheduled(Mode mode) throws Exception {
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(5)
            .initialDelay(Duration.ofSeconds(2))
            .maxDelay(Duration.ofSeconds(2))
            .jitter(0)
            .build();
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.runDeadline(Duration.ofSeconds(1))
                    .toolPolicy("probe", ToolPolicy.builder().retry(retry).build()))) {
      Probe probe = webProbe(h, (in, attempt) -> Probe.fails(new IllegalStateException("down")));

      RunResult run = h.run(mode, calls(probe, 0));

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.FAILED);
      assertThat(run.get("probe-0").attempts()).isEqualTo(1);
      assertThat(h.events.count("retry#")).isZero();
    }
  }

  /**
   * A cache hit answers without running the tool, so the tool's short timeout does not touch it; a
   * miss runs the tool under that timeout.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void cacheHit_isAnsweredWithinTheToolsTimeout_missRunsUnderIt(Mode mode) throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    ResultCache cache =
        (call, input, tool) ->
            Integer.valueOf(0).equals(input)
                ? new ResultCache.Lookup("cached", ResultCache.Status.HIT)
                : new ResultCache.Lookup(tool.call(), ResultCache.Status.MISS);
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.resultCache(cache)
                    .attemptTimeout(LONG)
                    .toolPolicy("probe", ToolPolicy.builder().attemptTimeout(timeout).build()))) {
      Probe probe = webProbe(h, (in, attempt) -> Probe.blocks());
      Started started =
          h.start(mode, calls(probe, 0, 1), plan -> plan.withFailureMode(FailureMode.CONTINUE));
      probe.awaitStarts(1);
      // the hit's lookup runs on its own thread: under load it may not have returned yet when the
      // miss starts, and advancing the clock then would time it out (seen at load 8); the hit must
      // end before any virtual time passes
      h.events.await("succeeded probe-0");

      h.clock().advance(timeout);
      RunResult run = started.result();

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(run.get("probe-0").value()).isEqualTo("cached");
      assertThat(run.get("probe-0").cacheHit()).isTrue();
      assertThat(run.get("probe-1").status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(probe.starts()).as("the hit did not run the tool").isEqualTo(1);
    }
  }

  /**
   * The call's tool fails (no retries of its own); the fallback tool runs under its own policy: its
   * 1 s timeout and its two attempts, counted from one.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void fallbackTool_runsUnderItsOwnPolicy(Mode mode) throws Exception {
    Duration delay = Duration.ofMillis(10);
    ToolPolicy backupPolicy =
        ToolPolicy.builder()
            .attemptTimeout(Duration.ofSeconds(1))
            .retry(
                RetryPolicy.builder()
                    .maxAttempts(2)
                    .initialDelay(delay)
                    .multiplier(1)
                    .jitter(0)
                    .build())
            .build();
    Probe backup = new Probe("backup", true, false, true, (in, attempt) -> Probe.blocks());
    FallbackPolicy fallback =
        new FallbackPolicy() {
          @Override
          public @Nullable Swap alternativeAfterFailure(
              PendingCall call, Throwable error, List<String> tried) {
            return tried.contains("backup") ? null : new Swap(backup, "probe failed");
          }
        };
    try (Harness h =
        Harness.virtualTime(b -> b.fallback(fallback).toolPolicy("backup", backupPolicy))) {
      h.register(backup);
      Probe probe = webProbe(h, (in, attempt) -> Probe.fails(new IllegalStateException("down")));
      Started started = h.start(mode, calls(probe, 0));
      backup.awaitStarts(1);

      h.clock().advance(Duration.ofSeconds(1));
      h.events.await("retry#3 probe-0");
      h.clock().advance(delay);
      backup.awaitStarts(2);
      h.clock().advance(Duration.ofSeconds(1));
      RunResult run = started.result();

      CallResult<?> result = run.get("probe-0");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.tool()).isEqualTo("backup");
      assertThat(result.fallbackFrom()).isEqualTo("probe");
      assertThat(result.attempts()).as("1 of the tool, 2 of the backup").isEqualTo(3);
      assertThat(probe.starts()).as("the tool's own default: no retry").isEqualTo(1);
    }
  }

  /**
   * Resilience4j's {@code BulkheadTest} invariant with policy limits: many runs at once, in real
   * time, of a tool limited to 2 by its policy and of two tools limited to 3 each by their
   * capability's policy, whose bodies ignore interrupts and mostly outlive their tool's 1 ms
   * timeout. No limit is ever exceeded, and every call ends exactly once.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void policyLimits_underStress_areNeverExceeded(Mode mode) throws Exception {
    int runsPerTool = 8;
    Object[] inputs = {0, 1, 2, 3, 4, 5, 6, 7};
    ToolPolicy shortTimeout = ToolPolicy.builder().attemptTimeout(Duration.ofMillis(1)).build();
    try (Harness h =
        Harness.realTime(
            b ->
                b.toolPolicy("limited", shortTimeout.toBuilder().maxConcurrency(2).build())
                    .capabilityPolicy("web", shortTimeout.toBuilder().maxConcurrency(3).build()))) {
      BiFunction<Object, Integer, Probe.Step> work =
          (in, attempt) -> new Probe.Busy(Duration.ofMillis(1 + (Integer) in % 3), "done");
      List<Probe> limited = new ArrayList<>();
      List<Probe> web = new ArrayList<>();
      List<Started> runs = new ArrayList<>();
      UnaryOperator<ExecutionPlan> continuing = plan -> plan.withFailureMode(FailureMode.CONTINUE);
      for (int r = 0; r < runsPerTool; r++) {
        limited.add(h.probe("limited", true, true, work));
        runs.add(h.start(mode, calls(limited.getLast(), inputs), continuing));
        for (String name : List.of("web-a", "web-b")) {
          web.add(h.register(new Probe(name, true, false, true, Set.of("web"), work)));
          runs.add(h.start(mode, calls(web.getLast(), inputs), continuing));
        }
      }
      for (Started run : runs) {
        assertThat(run.result().results())
            .extracting(CallResult::status)
            .allMatch(s -> s == CallStatus.SUCCEEDED || s == CallStatus.TIMED_OUT);
      }

      boolean sequence = mode.shape == Mode.Shape.SEQUENTIAL;
      assertThat(limited.stream().mapToInt(Probe::maxInside).max().orElseThrow())
          .as("tool limited to 2 by its policy")
          .isLessThanOrEqualTo(sequence ? 1 : 2);
      assertThat(web.stream().mapToInt(Probe::maxInside).max().orElseThrow())
          .as("tools limited to 3 each by their capability's policy")
          .isLessThanOrEqualTo(sequence ? 1 : 3);
      long calls = (long) runs.size() * inputs.length;
      assertThat(h.events.count("succeeded ") + h.events.count("timed_out "))
          .as("every call ends exactly once")
          .isEqualTo(calls);
      assertThat(h.events.count("run-finished")).isEqualTo(runs.size());
    }
  }
}
