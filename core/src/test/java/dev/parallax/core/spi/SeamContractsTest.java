package dev.parallax.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.tool.Tool;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contracts of the scheduling and admission seams (issue 12 item 5): a typed ready queue hands
 * back only the calls it was given, and a release's sample is the engine's attempt, naming the tool
 * that ran, with nothing to allocate.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeamContractsTest {

  private final SimTool fast = SimTool.fixed("fast", 10);

  /**
   * A queue and policy written against the old, untyped seam (raw {@code ReadyQueue}, {@code
   * newQueue(List<? extends PendingCall>)}) still compile and run.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class LegacyPolicy implements SchedulingPolicy {
    @Override
    public ReadyQueue newQueue(List calls) {
      return new LegacyQueue();
    }
  }

  @SuppressWarnings("rawtypes")
  static class LegacyQueue implements ReadyQueue {
    final ArrayDeque<PendingCall> calls = new ArrayDeque<>();

    @Override
    public void add(PendingCall call) {
      calls.add(call);
    }

    @Override
    public @Nullable PendingCall poll() {
      return calls.pollLast(); // last first
    }
  }

  @Test
  void legacyUntypedQueue_stillRunsTheCalls() {
    Sim sim = new Sim(b -> b.maxConcurrency(1).scheduling(new LegacyPolicy()));
    List<ToolCall<?, ?>> calls =
        List.of(ToolCall.of("1", fast, 1), ToolCall.of("2", fast, 2), ToolCall.of("3", fast, 3));

    RunResult run = sim.run(ExecutionPlan.parallel(calls));

    assertThat(run.allSucceeded()).isTrue();
    assertThat(sim.events.events().stream().filter(e -> e.startsWith("started")).toList())
        .containsExactly("started#1 3", "started#1 2", "started#1 1");
  }

  /**
   * Only an untyped queue can hand back something it was not given; the engine's typed read fails
   * it, and the run fails the calls not started with the scheduling seam named, as before.
   */
  @Test
  @SuppressWarnings({"rawtypes", "unchecked"})
  void untypedQueueReturningAStranger_failsTheCallsNotStarted_namingTheSchedulingSeam() {
    PendingCall stranger =
        new PendingCall() {
          @Override
          public String runId() {
            return "other";
          }

          @Override
          public int index() {
            return 0;
          }

          @Override
          public ToolCall<?, ?> call() {
            return ToolCall.of("x", fast, 0);
          }

          @Override
          public Tool<?, ?> tool() {
            return fast;
          }

          @Override
          public List<String> dependsOn() {
            return List.of();
          }

          @Override
          public int attempt() {
            return 0;
          }

          @Override
          public @Nullable Prediction prediction() {
            return null;
          }
        };
    SchedulingPolicy strangerFirst =
        new SchedulingPolicy() {
          @Override
          public ReadyQueue newQueue(List calls) {
            return new LegacyQueue() {
              @Override
              public @Nullable PendingCall poll() {
                return stranger;
              }
            };
          }
        };
    Sim sim = new Sim(b -> b.scheduling(strangerFirst));

    RunResult run = sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("1", fast, 1))));

    assertThat(run.get("1").status()).isEqualTo(CallStatus.FAILED);
    assertThat(run.get("1").error())
        .isInstanceOf(SeamFailureException.class)
        .hasMessageContaining("ready queue")
        .hasMessageContaining("poll");
  }

  /**
   * The sample of each release names the tool that ran (after a fallback, not the call's), how it
   * ended and how long it took; a copy keeps those values.
   */
  @Test
  void release_sampleNamesTheToolThatRan_itsOutcomeAndLatency() {
    SimTool failing =
        new SimTool(
            SimTool.spec("failing", true),
            (in, attempt) -> SimTool.Step.fail(10, new IllegalStateException("down")));
    SimTool backup = SimTool.fixed("backup", 20);
    FallbackPolicy fallback =
        new FallbackPolicy() {
          @Override
          public @Nullable Swap alternativeAfterFailure(
              PendingCall call, Throwable error, List<String> tried) {
            return tried.contains("backup") ? null : new Swap(backup, "failing is down");
          }
        };
    List<AttemptSample> samples = new ArrayList<>();
    List<String> callTools = new ArrayList<>();
    AdmissionControl recording =
        (runId, capacity) ->
            new Admission() {
              @Override
              public boolean tryAcquire(PendingCall call) {
                return true;
              }

              @Override
              public void release(PendingCall call, AttemptSample sample) {
                samples.add(AttemptSample.copyOf(sample));
                callTools.add(call.tool().name());
              }
            };
    Sim sim = new Sim(b -> b.fallback(fallback).admissionControl(recording));

    RunResult run = sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("c", failing, 1))));

    assertThat(run.get("c").status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(samples)
        .containsExactly(
            AttemptSample.of("failing", Duration.ofMillis(10), AttemptSample.Outcome.FAILURE, 1),
            AttemptSample.of("backup", Duration.ofMillis(20), AttemptSample.Outcome.SUCCESS, 1));
    assertThat(callTools).as("released before the swap").containsExactly("failing", "backup");
    assertThat(samples.getFirst().latencyNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
  }
}
