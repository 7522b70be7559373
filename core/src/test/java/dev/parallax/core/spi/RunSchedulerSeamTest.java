package dev.parallax.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.tool.ToolSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cross-run scheduling seam as the engine uses it, with hand-written schedulers. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RunSchedulerSeamTest {

  /** Records what the engine tells its slots, and admits what {@code admit} says. */
  private static final class Recording implements RunScheduler {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<ScheduledRun> opened = new CopyOnWriteArrayList<>();

    @Override
    public Slots open(ScheduledRun run, Runnable capacityAvailable) {
      opened.add(run);
      return new Slots() {
        @Override
        public boolean tryAcquire(PendingCall call) {
          log.add("acquire " + call.callId());
          return true;
        }

        @Override
        public void release(PendingCall call, AttemptSample sample) {
          log.add("release " + call.callId());
        }

        @Override
        public void notStarted(PendingCall call) {
          log.add("notStarted " + call.callId());
        }

        @Override
        public void stopping() {
          log.add("stopping");
        }

        @Override
        public void close() {
          log.add("close");
        }
      };
    }
  }

  @Test
  void runScheduler_seesThePlansPriority_andEveryAcquireIsReleasedBeforeClose() {
    Recording scheduler = new Recording();
    Sim sim = new Sim(b -> b.runScheduler(scheduler));
    RunResult result =
        sim.run(
            ExecutionPlan.parallel(
                    List.of(
                        ToolCall.of("a", SimTool.fixed("t", 10), 1),
                        ToolCall.of("b", SimTool.fixed("t", 20), 2)))
                .withPriority(7)
                .withMaxConcurrency(3));
    assertThat(result.results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
    ScheduledRun run = scheduler.opened.get(0);
    assertThat(run.priority()).isEqualTo(7);
    assertThat(run.maxConcurrency()).isEqualTo(3);
    assertThat(run.calls()).isEqualTo(2);
    assertThat(run.mode()).isEqualTo(ExecutionPlan.Mode.PARALLEL);
    assertThat(scheduler.log)
        .containsExactly("acquire a", "acquire b", "release a", "release b", "close");
  }

  @Test
  void aCustomAdmissionRefusingAfterTheScheduler_givesTheShareBack() {
    Recording scheduler = new Recording();
    Sim sim =
        new Sim(
            b ->
                b.runScheduler(scheduler)
                    .admissionControl(
                        (runId, capacity) ->
                            new Admission() {
                              boolean once;

                              @Override
                              public boolean tryAcquire(PendingCall call) {
                                if (!once) { // refuses the first ask only; the call is
                                  once = true; // offered again when b, same tool, ends
                                  return false;
                                }
                                return true;
                              }

                              @Override
                              public void release(PendingCall call, AttemptSample sample) {}
                            }));
    SimTool t = SimTool.fixed("t", 10);
    RunResult result =
        sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("a", t, 1), ToolCall.of("b", t, 2))));
    assertThat(result.results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
    assertThat(scheduler.log)
        .containsExactly(
            "acquire a",
            "notStarted a",
            "acquire b",
            "release b",
            "acquire a",
            "release a",
            "close");
  }

  @Test
  void aCancelledRun_tellsItsSlotsItIsStopping() {
    Recording scheduler = new Recording();
    Sim sim = new Sim(b -> b.runScheduler(scheduler));
    var run =
        sim.executor.start(
            ExecutionPlan.parallel(List.of(ToolCall.of("a", SimTool.fixed("t", 10), 1))));
    run.cancel();
    sim.time.runUntilIdle();
    assertThat(scheduler.log).contains("stopping").endsWith("close");
  }

  @Test
  void aSchedulerThatThrows_failsTheCalls_namingTheAdmissionSeam() {
    Sim sim =
        new Sim(
            b ->
                b.runScheduler(
                    (run, capacity) -> {
                      throw new IllegalStateException("cluster unreachable");
                    }));
    RunResult result =
        sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("a", SimTool.fixed("t", 10), 1))));
    assertThat(result.results().get(0).status()).isEqualTo(CallStatus.FAILED);
    assertThat(result.results().get(0).error())
        .isInstanceOf(SeamFailureException.class)
        .hasMessageContaining("run scheduler");
  }

  @Test
  void priorityAndResources_areValidatedWhereTheyEnter() {
    ExecutionPlan plan =
        ExecutionPlan.parallel(List.of(ToolCall.of("a", SimTool.fixed("t", 1), 1)));
    assertThatThrownBy(() -> plan.withPriority(1001)).hasMessageContaining("1001");
    assertThat(plan.withPriority(-1000).priority()).isEqualTo(-1000);
    assertThat(plan.priority()).isZero();
    assertThatThrownBy(() -> ToolSpec.builder("t").resources(Map.of("db", 0)).build())
        .hasMessageContaining("'db'")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> ToolSpec.builder("t").resources(Map.of("d b", 1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    ToolSpec spec = ToolSpec.builder("t").resources(Map.of("gpu", 2, "db", 1)).build();
    assertThat(spec.resources()).containsExactly(Map.entry("db", 1), Map.entry("gpu", 2));
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    assertThat(ToolSpec.builder("t").build()).isNotEqualTo(spec);
  }
}
