package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunReport;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.SkippedException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.testing.SimTool.Step;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Graph scheduling, skipping, fail-fast, sequential stop/continue and run deadlines. */
class GraphAndFailureModesTest {

  private final SimTool fast = SimTool.fixed("fast", 10);
  private final SimTool slow = SimTool.fixed("slow", 100);
  private final SimTool broken =
      new SimTool(
          SimTool.spec("broken", false),
          (in, a) -> Step.fail(20, new IllegalStateException("boom")));

  @Test
  void graph_readyCallsStartAtOnce_andEachWaitsOnlyForItsOwnDependencies() {
    // a(10) -> b(100) -> d(10);  a -> c(10);  e(100) independent
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("a", fast, 1))
            .add(ToolCall.of("b", slow, 2), "a")
            .add(ToolCall.of("c", fast, 3), "a")
            .add(ToolCall.of("d", fast, 4), "b", "c")
            .add(ToolCall.of("e", slow, 5))
            .build();
    Sim sim = new Sim();

    RunResult run = sim.run(ExecutionPlan.graph(graph));

    assertThat(run.allSucceeded()).isTrue();
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(120));
    assertThat(run.report().calls())
        .extracting(
            RunReport.CallTiming::callId,
            RunReport.CallTiming::queueWait,
            RunReport.CallTiming::runTime)
        .containsExactly(
            tuple("a", Duration.ZERO, Duration.ofMillis(10)),
            tuple("b", Duration.ZERO, Duration.ofMillis(100)),
            tuple("c", Duration.ZERO, Duration.ofMillis(10)),
            tuple("d", Duration.ZERO, Duration.ofMillis(10)),
            tuple("e", Duration.ZERO, Duration.ofMillis(100)));
    assertThat(run.report().timingTable()).contains("a ").contains("ran=100.0ms");
    Duration t0 = Duration.ZERO;
    assertThat(startOffset(run, "a")).isEqualTo(t0);
    assertThat(startOffset(run, "e")).isEqualTo(t0);
    assertThat(startOffset(run, "b")).isEqualTo(Duration.ofMillis(10));
    assertThat(startOffset(run, "c")).isEqualTo(Duration.ofMillis(10));
    assertThat(startOffset(run, "d")).isEqualTo(Duration.ofMillis(110));
  }

  @Test
  void graph_callReadsItsDependenciesResults() throws Exception {
    Tool<Object, Integer> number =
        Tools.named("number").input(Object.class).function((in, ctx) -> (Integer) in);
    Tool<Integer, Integer> square =
        Tools.named("square").input(Integer.class).function((in, ctx) -> in * in);
    Tool<Object, String> describe =
        Tools.named("describe")
            .input(Object.class)
            .function((in, ctx) -> in + "=" + ctx.dependencies().get("sq").value());
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("n", number, 7))
            .add(ToolCall.derived("sq", square, deps -> (Integer) deps.get("n").value()), "n")
            .add(ToolCall.of("text", describe, "7^2"), "sq")
            .build();
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      RunResult blocking = executor.executeGraph(graph);
      RunResult async = executor.executeGraphAsync(graph).get();
      for (RunResult run : List.of(blocking, async)) {
        assertThat(run.get("sq").value()).isEqualTo(49);
        assertThat(run.get("text").value()).isEqualTo("7^2=49");
      }
    }
  }

  @Test
  void graph_derivedInputThatThrows_failsTheCallWithoutRunningTheTool() {
    Tool<Integer, Integer> square =
        Tools.named("square").input(Integer.class).function((in, ctx) -> in * in);
    Tool<Object, Object> one = Tools.named("one").input(Object.class).function((in, ctx) -> 1);
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("a", one, 1))
            .add(
                ToolCall.derived(
                    "sq",
                    square,
                    deps -> {
                      throw new IllegalArgumentException("bad input");
                    }),
                "a")
            .build();
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      CallResult<?> sq = executor.executeGraph(graph).get("sq");
      assertThat(sq.status()).isEqualTo(CallStatus.FAILED);
      assertThat(sq.error())
          .isInstanceOf(SeamFailureException.class)
          .hasMessageContaining("call sq")
          .hasMessageContaining("dependencies [a]")
          .hasRootCauseMessage("bad input");
      assertThat(sq.attempts()).isZero();
      assertThat(sq.startedAt()).isNull();
    }
  }

  @Test
  void graph_dependencyFails_skipsDependentsTransitively_whileUnrelatedBranchesRun() {
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("root", fast, 0))
            .add(ToolCall.of("bad", broken, 0), "root")
            .add(ToolCall.of("child", fast, 0), "bad")
            .add(ToolCall.of("grandchild", fast, 0), "child")
            .add(ToolCall.of("sibling", slow, 0), "root")
            .add(ToolCall.of("after-sibling", fast, 0), "sibling")
            .build();
    Sim sim = new Sim();

    RunResult run = sim.run(ExecutionPlan.graph(graph));

    assertThat(run.results())
        .extracting(CallResult::status)
        .containsExactly(
            CallStatus.SUCCEEDED,
            CallStatus.FAILED,
            CallStatus.SKIPPED,
            CallStatus.SKIPPED,
            CallStatus.SUCCEEDED,
            CallStatus.SUCCEEDED);
    assertThat(run.get("child").error())
        .isInstanceOf(SkippedException.class)
        .hasMessageContaining("dependency bad ended FAILED");
    assertThat(run.get("grandchild").error())
        .hasMessageContaining("dependency child ended SKIPPED");
    assertThat(run.get("child").attempts()).isZero();
    assertThat(sim.events.events()).contains("skipped child", "skipped grandchild");
  }

  @Test
  void failFast_firstFailureCancelsRunningAndQueuedCalls() {
    Sim sim = new Sim(b -> b.failureMode(FailureMode.FAIL_FAST).maxConcurrency(2));
    List<ToolCall<?, ?>> calls =
        List.of(
            ToolCall.of("slow", slow, 0),
            ToolCall.of("bad", broken, 0),
            ToolCall.of("queued", fast, 0));

    RunResult run = sim.run(ExecutionPlan.parallel(calls));

    assertThat(run.get("bad").status()).isEqualTo(CallStatus.FAILED);
    assertThat(run.get("slow").status()).isEqualTo(CallStatus.CANCELLED);
    assertThat(run.get("slow").error())
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("call bad FAILED");
    assertThat(run.get("queued").status()).isEqualTo(CallStatus.CANCELLED);
    assertThat(run.get("queued").attempts()).isZero();
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void failFast_inAGraph_cancelsDependentsToo() {
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("bad", broken, 0))
            .add(ToolCall.of("child", fast, 0), "bad")
            .add(ToolCall.of("other", slow, 0))
            .build();
    RunResult run =
        new Sim().run(ExecutionPlan.graph(graph).withFailureMode(FailureMode.FAIL_FAST));
    assertThat(run.get("child").status()).isEqualTo(CallStatus.CANCELLED);
    assertThat(run.get("other").status()).isEqualTo(CallStatus.CANCELLED);
  }

  @Test
  void sequential_stopsAtTheFirstFailureByDefault_orContinues() {
    List<ToolCall<?, ?>> calls =
        List.of(
            ToolCall.of("one", fast, 0),
            ToolCall.of("two", broken, 0),
            ToolCall.of("three", fast, 0));

    RunResult stopped = new Sim().run(ExecutionPlan.sequential(calls));
    RunResult continued =
        new Sim().run(ExecutionPlan.sequential(calls).withFailureMode(FailureMode.CONTINUE));

    assertThat(stopped.results())
        .extracting(CallResult::status)
        .containsExactly(CallStatus.SUCCEEDED, CallStatus.FAILED, CallStatus.CANCELLED);
    assertThat(stopped.get("three").attempts()).isZero();
    assertThat(continued.results())
        .extracting(CallResult::status)
        .containsExactly(CallStatus.SUCCEEDED, CallStatus.FAILED, CallStatus.SUCCEEDED);
    assertThat(continued.report().elapsed()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void sequential_ignoresACustomSchedulingPolicy_andKeepsTheGivenOrder() {
    Sim sim =
        new Sim(
            b ->
                b.scheduling(
                    new dev.parallax.core.spi.SchedulingPolicy() {
                      @Override
                      public <C extends dev.parallax.core.spi.PendingCall>
                          dev.parallax.core.spi.ReadyQueue<C> newQueue(List<C> calls) {
                        return new LifoQueue<>();
                      }
                    }));
    List<ToolCall<?, ?>> calls =
        List.of(ToolCall.of("1", fast, 0), ToolCall.of("2", fast, 0), ToolCall.of("3", fast, 0));
    sim.run(ExecutionPlan.sequential(calls));
    assertThat(sim.events.events().stream().filter(e -> e.startsWith("started")).toList())
        .containsExactly("started#1 1", "started#1 2", "started#1 3");
  }

  @Test
  void runDeadline_runningCallsTimeOut_notStartedOnesAreCancelled() {
    Sim sim = new Sim(b -> b.maxConcurrency(1));
    List<ToolCall<?, ?>> calls =
        List.of(
            ToolCall.of("first", slow, 0),
            ToolCall.of("second", slow, 0),
            ToolCall.of("third", slow, 0));

    RunResult run = sim.run(ExecutionPlan.parallel(calls).withDeadline(Duration.ofMillis(150)));

    assertThat(run.get("first").status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(run.get("second").status()).isEqualTo(CallStatus.TIMED_OUT);
    assertThat(run.get("second").error())
        .isInstanceOf(ToolTimeoutException.class)
        .hasMessageContaining("deadline");
    assertThat(run.get("third").status()).isEqualTo(CallStatus.CANCELLED);
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(150));
  }

  @Test
  void emptyPlan_completesAtOnce() {
    RunResult run = new Sim().run(ExecutionPlan.parallel(List.of()));
    assertThat(run.results()).isEmpty();
    assertThat(run.allSucceeded()).isTrue();
  }

  private static Duration startOffset(RunResult run, String id) {
    return Duration.between(run.report().startedAt(), run.get(id).startedAt());
  }

  /** A scheduling policy that runs the most recently readied call first. */
  static final class LifoQueue<C extends dev.parallax.core.spi.PendingCall>
      implements dev.parallax.core.spi.ReadyQueue<C> {
    private final java.util.ArrayDeque<C> stack = new java.util.ArrayDeque<>();

    @Override
    public void add(C call) {
      stack.push(call);
    }

    @Override
    public C poll() {
      return stack.poll();
    }
  }
}
