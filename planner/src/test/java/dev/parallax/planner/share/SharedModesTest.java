package dev.parallax.planner.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every mode, cancellation, deadlines and timeouts under a shared scheduler, in virtual time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedModesTest {

  enum Mode {
    PARALLEL,
    SEQUENTIAL,
    GRAPH,
    BATCH
  }

  private static final SimTool DB = SharedResourcesTest.tool("db", 10, Map.of("db", 1));

  private static ExecutionPlan plan(Mode mode, String prefix, int n) {
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(ToolCall.of(prefix + i, DB, i));
    }
    return switch (mode) {
      case PARALLEL -> ExecutionPlan.parallel(calls);
      case SEQUENTIAL -> ExecutionPlan.sequential(calls);
      case GRAPH -> {
        CallGraph.Builder g = CallGraph.builder();
        for (int i = 0; i < n; i++) { // a chain of pairs: call i depends on call i - 2
          if (i < 2) {
            g.add(calls.get(i));
          } else {
            g.add(calls.get(i), List.of(prefix + (i - 2)));
          }
        }
        yield ExecutionPlan.graph(g.build());
      }
      case BATCH -> {
        List<Object> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          inputs.add(i);
        }
        @SuppressWarnings("unchecked")
        Tool<Object, ?> db = (Tool<Object, ?>) (Tool<?, ?>) DB;
        yield ExecutionPlan.batch(db, inputs);
      }
    };
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyMode_runsUnderTheSharedScheduler_andLetsGoOfEverything(Mode mode) {
    SharedSim sim = new SharedSim(b -> b.capacity(3).resource("db", 2));
    List<ToolRun> runs = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      runs.add(sim.start(plan(mode, "r" + r + "-", 6).withPriority(r % 2)));
    }
    sim.time.runUntilIdle();
    for (ToolRun run : runs) {
      assertThat(run.result().join().results()).allMatch(c -> c.status() == CallStatus.SUCCEEDED);
    }
    assertThat(sim.peakOf("db")).isEqualTo(2);
    SchedulerStats stats = sim.shared.stats();
    assertThat(stats.inUse()).isZero();
    assertThat(stats.overAllocations()).isZero();
    assertThat(stats.waitingCalls()).isZero();
  }

  @Test
  void cancellingAWaitingRun_givesItsTurnToTheOthers() {
    SharedSim sim = new SharedSim(b -> b.capacity(1));
    ToolRun first = sim.start(plan(Mode.PARALLEL, "a", 3));
    ToolRun cancelled = sim.start(plan(Mode.PARALLEL, "b", 3).withPriority(5));
    ToolRun last = sim.start(plan(Mode.PARALLEL, "c", 3));
    cancelled.cancel();
    sim.time.runUntilIdle();
    assertThat(cancelled.result().join().results())
        .allMatch(c -> c.status() == CallStatus.CANCELLED);
    assertThat(first.result().join().results()).allMatch(c -> c.status() == CallStatus.SUCCEEDED);
    assertThat(last.result().join().results()).allMatch(c -> c.status() == CallStatus.SUCCEEDED);
    assertThat(sim.time.elapsed()).isEqualTo(Duration.ofMillis(60)); // 6 calls, one at a time
    assertThat(sim.shared.stats().inUse()).isZero();
  }

  @Test
  void runDeadline_endsWaitingCallsCancelled_andFreesTheirShare() {
    SharedSim sim = new SharedSim(b -> b.capacity(1));
    ToolRun busy = sim.start(plan(Mode.PARALLEL, "a", 10));
    ToolRun late = sim.start(plan(Mode.PARALLEL, "b", 10).withDeadline(Duration.ofMillis(35)));
    sim.time.runUntilIdle();
    RunResult result = late.result().join();
    assertThat(result.report().count(CallStatus.CANCELLED)).isGreaterThan(0);
    assertThat(busy.result().join().results()).allMatch(c -> c.status() == CallStatus.SUCCEEDED);
    assertThat(sim.shared.stats().inUse()).isZero();
    assertThat(sim.shared.stats().waitingCalls()).isZero();
  }

  /** A tool that ignores interruption: its body returns only when the latch opens. */
  private static final class Stubborn implements Tool<Object, Object> {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public ToolSpec spec() {
      return ToolSpec.builder("stubborn").resources(Map.of("db", 1)).build();
    }

    @Override
    public Object call(Object input, ToolContext context) {
      entered.countDown();
      boolean interrupted = false;
      while (true) {
        try {
          release.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // ignored, on purpose
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return "late";
    }
  }

  @Test
  void timedOutCall_keepsItsResourceUntilItsBodyReturns() throws Exception {
    SharedSim sim =
        new SharedSim(
            b -> b.capacity(4).resource("db", 1), e -> e.attemptTimeout(Duration.ofMillis(50)));
    Stubborn stubborn = new Stubborn();
    ToolRun first = sim.start(ExecutionPlan.parallel(List.of(ToolCall.of("s", stubborn, 0))));
    assertThat(stubborn.entered.await(10, TimeUnit.SECONDS)).isTrue();
    ToolRun second = sim.start(plan(Mode.PARALLEL, "d", 1));
    sim.time.advance(Duration.ofMillis(60));
    RunResult timedOut = first.result().join(); // ends on time, body still running
    assertThat(timedOut.results().get(0).status()).isEqualTo(CallStatus.TIMED_OUT);
    assertThat(second.isDone()).isFalse();
    assertThat(sim.shared.stats().resourcesInUse()).containsEntry("db", 1);
    assertThat(sim.attemptsStarted.get()).isZero(); // the db call never started

    stubborn.release.countDown(); // the body returns: db is free and the waiting call runs
    assertThat(sim.releases.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    RunResult after = sim.finish(second);
    assertThat(after.results().get(0).status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(sim.shared.stats().inUse()).isZero();
  }
}
