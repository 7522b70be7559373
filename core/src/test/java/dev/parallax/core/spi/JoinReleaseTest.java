package dev.parallax.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executor's side of {@link ResultCache#joinRefused}: for each join it uses, exactly one of
 * {@link ResultCache.Join#call} (the attempt ran) and {@link ResultCache.Join#release} (it ended
 * without running).
 */
@Timeout(30)
class JoinReleaseTest {

  private static final long WAIT_SECONDS = 10;

  private final Tool<JsonNode, String> lookupTool =
      Tools.named("lookup").function((in, ctx) -> "ran the tool");
  private final ToolRegistry registry = ToolRegistry.of(lookupTool);

  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger releases = new AtomicInteger();

  /** Offers every refused call a join that answers "joined". */
  private final ResultCache joiningCache =
      new ResultCache() {
        @Override
        public Lookup lookup(PendingCall call, Object input, java.util.concurrent.Callable<?> tool)
            throws Exception {
          return new Lookup(tool.call(), Status.NOT_CACHED);
        }

        @Override
        public @Nullable Join joinRefused(PendingCall call, Object input) {
          return new Join() {
            @Override
            public Lookup call() {
              calls.incrementAndGet();
              return new Lookup("joined", Status.HIT, true);
            }

            @Override
            public void release() {
              releases.incrementAndGet();
            }
          };
        }
      };

  /** Refuses every call: each one is offered to the cache's join. */
  private static final AdmissionControl REFUSE_ALL =
      (runId, capacityAvailable) ->
          new Admission() {
            @Override
            public boolean tryAcquire(PendingCall call) {
              return false;
            }

            @Override
            public void release(PendingCall call, AttemptSample sample) {}
          };

  private ToolExecutor executor(CallRunner runner) {
    return ToolExecutor.builder()
        .resultCache(joiningCache)
        .admissionControl(REFUSE_ALL)
        .runner(runner)
        .build();
  }

  @Test
  void joinedAttemptThatRuns_callsTheJoin_andNeverReleasesIt() {
    try (ToolExecutor executor = executor(CallRunner.virtualThreads())) {
      CallResult<?> result =
          executor.executeSequential(List.of(registry.call("a", "lookup", "{}"))).results().get(0);
      assertThat(result.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(result.valueOrThrow()).isEqualTo("joined");
    }
    assertThat(calls).hasValue(1);
    assertThat(releases).hasValue(0);
  }

  @Test
  void joinedAttemptCancelledBeforeItStarted_releasesTheJoinOnce_andNeverCallsIt()
      throws Exception {
    BlockingQueue<AttemptExecution> held = new LinkedBlockingQueue<>();
    CallRunner holding =
        attempt -> {
          held.add(attempt);
          return () -> {}; // the runner gets to it later
        };
    try (ToolExecutor executor = executor(holding)) {
      ToolRun run =
          executor.start(ExecutionPlan.sequential(List.of(registry.call("a", "lookup", "{}"))));
      AttemptExecution attempt = held.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(attempt).as("the runner holds the joined attempt").isNotNull();
      assertThat(run.cancel()).isTrue();
      assertThat(run.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0).status())
          .isEqualTo(CallStatus.CANCELLED);

      attempt.runHere(); // cancelled before it started: it never runs
      attempt.complete(null, null); // a late report changes nothing
    }
    assertThat(calls).hasValue(0);
    assertThat(releases).hasValue(1);
  }

  @Test
  void joinedAttemptTheRunnerCouldNotStart_releasesTheJoin() {
    CallRunner failing =
        attempt -> {
          throw new IllegalStateException("runner closed");
        };
    try (ToolExecutor executor = executor(failing)) {
      CallResult<?> result =
          executor.executeSequential(List.of(registry.call("a", "lookup", "{}"))).results().get(0);
      assertThat(result.status()).isNotEqualTo(CallStatus.SUCCEEDED);
    }
    assertThat(calls).hasValue(0);
    assertThat(releases).hasValue(1);
  }

  @Test
  void joinedAttemptReportedWithoutRunning_releasesTheJoin() {
    CallRunner simulating =
        attempt -> {
          attempt.complete("simulated", null);
          return () -> {};
        };
    try (ToolExecutor executor = executor(simulating)) {
      executor.executeSequential(List.of(registry.call("a", "lookup", "{}")));
    }
    assertThat(calls).hasValue(0);
    assertThat(releases).hasValue(1);
  }
}
