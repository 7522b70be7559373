package dev.parallax.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.testing.SimTool.Step;
import dev.parallax.core.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Smarter implementations plug into every seam without touching the executor. */
class SeamsTest {

  private final SimTool shortTool = SimTool.fixed("short", 10);
  private final SimTool longTool = SimTool.fixed("long", 100);

  @Test
  void scheduling_longestPredictedFirst_shortensTheMakespan() {
    List<ToolCall<?, ?>> calls =
        List.of(
            ToolCall.of("s1", shortTool, 1),
            ToolCall.of("s2", shortTool, 2),
            ToolCall.of("l1", longTool, 3));
    Predictor predictor =
        call -> {
          long ms = call.tool() == longTool ? 100 : 10;
          return new Prediction(Duration.ofMillis(ms), Duration.ofMillis(ms), 1.0, "test");
        };
    SchedulingPolicy longestFirst =
        new SchedulingPolicy() {
          @Override
          public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> all) {
            return new ReadyQueue<C>() {
              final PriorityQueue<C> heap =
                  new PriorityQueue<>(
                      Comparator.comparing((C c) -> c.prediction().latency()).reversed());

              @Override
              public void add(C call) {
                heap.add(call);
              }

              @Override
              public C poll() {
                return heap.poll();
              }
            };
          }
        };

    RunResult fifo = new Sim(b -> b.maxConcurrency(2)).run(ExecutionPlan.parallel(calls));
    RunResult smart =
        new Sim(b -> b.maxConcurrency(2).predictor(predictor).scheduling(longestFirst))
            .run(ExecutionPlan.parallel(calls));

    assertThat(fifo.report().elapsed()).isEqualTo(Duration.ofMillis(110));
    assertThat(smart.report().elapsed()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void admission_sharedAcrossRuns_refusesThenWakesRefusedCallsWhenCapacityFrees() {
    // one slot shared by all runs: a toy global limiter built on the admission seam
    AtomicReference<String> holder = new AtomicReference<>();
    List<Runnable> waiters = new ArrayList<>();
    AdmissionControl oneSlot =
        (runId, capacityAvailable) -> {
          waiters.add(capacityAvailable);
          return new Admission() {
            @Override
            public boolean tryAcquire(PendingCall call) {
              return holder.compareAndSet(null, call.callId());
            }

            @Override
            public void release(PendingCall call, AttemptSample sample) {
              holder.set(null);
              List.copyOf(waiters).forEach(Runnable::run);
            }
          };
        };
    Sim sim = new Sim(b -> b.admissionControl(oneSlot));
    var first = sim.executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("a", longTool, 1))));
    var second = sim.executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("b", longTool, 1))));
    sim.time.runUntilIdle();

    CallResult<?> a = first.result().join().get("a");
    CallResult<?> b = second.result().join().get("b");
    assertThat(a.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(b.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(Duration.between(a.startedAt(), b.startedAt())).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void fallback_afterTheLastFailedAttempt_triesTheAlternative_andSaysWhoAnswered() {
    SimTool primary =
        new SimTool(
            SimTool.spec("primary", false),
            (in, a) -> Step.fail(10, new IllegalStateException("down")));
    SimTool backup = SimTool.fixed("backup", 30);
    FallbackPolicy toBackup =
        new FallbackPolicy() {
          @Override
          public Swap alternativeAfterFailure(
              PendingCall call, Throwable error, List<String> tried) {
            return tried.contains("backup") ? null : new Swap(backup, "primary failed");
          }
        };
    Sim sim = new Sim(b -> b.fallback(toBackup));

    RunResult run = sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("c", primary, "q"))));

    CallResult<?> c = run.get("c");
    assertThat(c.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(c.tool()).isEqualTo("backup");
    assertThat(c.fallbackFrom()).isEqualTo("primary");
    assertThat(c.fallbackReason()).isEqualTo("primary failed");
    assertThat(c.attempts()).isEqualTo(2);
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void fallback_beforeStart_swapsAnUnhealthyTool() {
    SimTool primary = SimTool.fixed("primary", 10);
    SimTool backup = SimTool.fixed("backup", 10);
    FallbackPolicy swap =
        new FallbackPolicy() {
          @Override
          public Swap replaceBeforeStart(PendingCall call) {
            return new Swap(backup, "unhealthy");
          }
        };
    RunResult run =
        new Sim(b -> b.fallback(swap))
            .run(ExecutionPlan.parallel(List.of(ToolCall.of("c", primary, "q"))));
    assertThat(run.get("c").value()).isEqualTo("backup:q");
    assertThat(run.get("c").fallbackFrom()).isEqualTo("primary");
    assertThat(run.get("c").fallbackReason()).isEqualTo("unhealthy");
  }

  @Test
  void resultCache_answersRepeatedCalls_andMarksTheHit() {
    Map<Object, Object> store = new ConcurrentHashMap<>();
    ResultCache cache =
        (call, input, tool) -> {
          Object cached = store.get(input);
          if (cached != null) {
            return new ResultCache.Lookup(cached, ResultCache.Status.HIT);
          }
          Object value = tool.call();
          store.put(input, value);
          return new ResultCache.Lookup(value, ResultCache.Status.MISS);
        };
    var counter = new java.util.concurrent.atomic.AtomicInteger();
    Tool<String, String> upper =
        dev.parallax.core.tool.Tools.named("upper")
            .input(String.class)
            .function(
                (in, ctx) -> {
                  counter.incrementAndGet();
                  return in.toUpperCase();
                });
    try (var executor = dev.parallax.core.exec.ToolExecutor.builder().resultCache(cache).build()) {
      RunResult first =
          executor.executeSequential(
              List.of(ToolCall.of("1", upper, "a"), ToolCall.of("2", upper, "a")));
      assertThat(first.get("2").value()).isEqualTo("A");
      assertThat(first.get("1").cacheHit()).isFalse();
      assertThat(first.get("2").cacheHit()).isTrue();
      assertThat(counter).hasValue(1);
    }
  }

  @Test
  void predictor_thatThrows_isIgnored() {
    Predictor broken =
        call -> {
          throw new IllegalStateException("model missing");
        };
    RunResult run =
        new Sim(b -> b.predictor(broken))
            .run(ExecutionPlan.parallel(List.of(ToolCall.of("c", shortTool, 1))));
    assertThat(run.allSucceeded()).isTrue();
  }
}
