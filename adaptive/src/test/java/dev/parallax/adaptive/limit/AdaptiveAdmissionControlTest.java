package dev.parallax.adaptive.limit;

import static dev.parallax.core.spi.AttemptSample.Outcome.FAILURE;
import static dev.parallax.core.spi.AttemptSample.Outcome.SUCCESS;
import static dev.parallax.core.spi.AttemptSample.Outcome.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The adaptive limits behind core's admission seam. */
class AdaptiveAdmissionControlTest {

  private static final Tool<String, String> SEARCH =
      Tools.named("search").input(String.class).function((in, ctx) -> in);
  private static final Tool<String, String> UNSAFE =
      Tools.named("unsafe").concurrencySafe(false).input(String.class).function((in, ctx) -> in);

  private record Call(Tool<String, String> tool, int index) implements PendingCall {
    @Override
    public String runId() {
      return "run";
    }

    @Override
    public ToolCall<?, ?> call() {
      return ToolCall.of("c" + index, tool, "x");
    }

    @Override
    public List<String> dependsOn() {
      return List.of();
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public @Nullable Prediction prediction() {
      return null;
    }
  }

  private static AttemptSample sample(AttemptSample.Outcome outcome, long millis) {
    return AttemptSample.of("search", Duration.ofMillis(millis), outcome, 1);
  }

  private static AdaptiveAdmissionControl control(int initial) {
    return AdaptiveAdmissionControl.builder()
        .limits(() -> AdaptiveLimit.builder().initialLimit(initial).minWindow(2).build())
        .referenceNanos(tool -> 100_000_000L)
        .build();
  }

  // Regression: a call holding two admitted attempts (a timed-out body that kept its slot, and the
  // retry) lost one of them, and a release after a fallback swap decremented the wrong backend.
  @Test
  void release_ofEachAdmittedAttempt_evenTwoOfOneCall_orAfterAFallback_freesWhatItHeld() {
    AdaptiveAdmissionControl control = control(10);
    Admission run = control.open("run", () -> {});
    SwappingCall call = new SwappingCall(SEARCH);
    assertThat(run.tryAcquire(call)).as("attempt 1").isTrue();
    assertThat(run.tryAcquire(call)).as("its retry, while attempt 1's body still runs").isTrue();
    assertThat(control.inFlight("search")).isEqualTo(2);

    call.tool = UNSAFE; // the call falls back to another tool
    assertThat(run.tryAcquire(call)).isTrue();
    assertThat(control.inFlight("unsafe")).isEqualTo(1);

    run.release(call, AttemptSample.of("search", Duration.ofMillis(5), TIMEOUT, 1));
    run.release(call, AttemptSample.of("search", Duration.ofMillis(5), FAILURE, 2));
    assertThat(control.inFlight("search")).as("both search attempts freed").isZero();
    assertThat(control.inFlight("unsafe")).isEqualTo(1);
    assertThat(run.tryAcquire(new Call(UNSAFE, 9))).as("the unsafe tool still runs once").isFalse();

    run.release(call, AttemptSample.of("unsafe", Duration.ofMillis(5), SUCCESS, 1));
    assertThat(control.inFlight("unsafe")).isZero();
    run.close();
    assertThat(control.inFlight("search")).as("nothing released twice").isZero();
  }

  /** A call whose tool changes, as after a fallback swap. */
  private static final class SwappingCall implements PendingCall {
    Tool<String, String> tool;

    SwappingCall(Tool<String, String> tool) {
      this.tool = tool;
    }

    @Override
    public Tool<?, ?> tool() {
      return tool;
    }

    @Override
    public String runId() {
      return "run";
    }

    @Override
    public int index() {
      return 0;
    }

    @Override
    public ToolCall<?, ?> call() {
      return ToolCall.of("c", SEARCH, "x");
    }

    @Override
    public List<String> dependsOn() {
      return List.of();
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public @Nullable Prediction prediction() {
      return null;
    }
  }

  @Test
  void tryAcquire_upToTheLimitAcrossRuns_thenRefuses() {
    AdaptiveAdmissionControl control = control(3);
    Admission a = control.open("a", () -> {});
    Admission b = control.open("b", () -> {});
    assertThat(a.tryAcquire(new Call(SEARCH, 0))).isTrue();
    assertThat(a.tryAcquire(new Call(SEARCH, 1))).isTrue();
    assertThat(b.tryAcquire(new Call(SEARCH, 2))).isTrue();
    assertThat(b.tryAcquire(new Call(SEARCH, 3))).isFalse();
    assertThat(control.inFlight("search")).isEqualTo(3);
  }

  @Test
  void release_wakesOtherRunsThatWereRefused() {
    AdaptiveAdmissionControl control = control(1);
    AtomicInteger wokenB = new AtomicInteger();
    Admission a = control.open("a", () -> {});
    Admission b = control.open("b", wokenB::incrementAndGet);
    Call first = new Call(SEARCH, 0);
    assertThat(a.tryAcquire(first)).isTrue();
    assertThat(b.tryAcquire(new Call(SEARCH, 1))).isFalse();
    a.release(first, sample(AttemptSample.Outcome.SUCCESS, 100));
    assertThat(wokenB).hasValue(1);
    assertThat(control.inFlight("search")).isZero();
  }

  @Test
  void failures_lowerTheLimit_cancellationsAreNotSamples() {
    AdaptiveAdmissionControl control = control(4);
    Admission a = control.open("a", () -> {});
    for (int i = 0; i < 40; i++) {
      Call c = new Call(SEARCH, i);
      assertThat(a.tryAcquire(c)).isTrue();
      a.release(c, sample(AttemptSample.Outcome.CANCELLED, 5000));
    }
    assertThat(control.limit("search")).isEqualTo(4);
    for (int i = 0; i < 40; i++) {
      Call c = new Call(SEARCH, i);
      a.tryAcquire(c);
      a.release(c, sample(AttemptSample.Outcome.FAILURE, 100));
    }
    assertThat(control.limit("search")).isLessThan(4);
  }

  @Test
  void notConcurrencySafeTool_runsOneAtATimeWithinARun() {
    AdaptiveAdmissionControl control = control(10);
    Admission a = control.open("a", () -> {});
    Admission b = control.open("b", () -> {});
    assertThat(a.tryAcquire(new Call(UNSAFE, 0))).isTrue();
    assertThat(a.tryAcquire(new Call(UNSAFE, 1))).isFalse();
    assertThat(b.tryAcquire(new Call(UNSAFE, 2))).isTrue();
  }

  @Test
  void close_givesBackWhatTheRunStillHeld() {
    AdaptiveAdmissionControl control = control(2);
    Admission a = control.open("a", () -> {});
    a.tryAcquire(new Call(SEARCH, 0));
    a.tryAcquire(new Call(SEARCH, 1));
    a.close();
    assertThat(control.inFlight("search")).isZero();
  }

  @Test
  void backendOf_toolsSharingABackendShareItsLimit() {
    AdaptiveAdmissionControl control =
        AdaptiveAdmissionControl.builder()
            .limits(() -> AdaptiveLimit.builder().initialLimit(1).build())
            .backendOf(tool -> "shared")
            .build();
    Admission a = control.open("a", () -> {});
    assertThat(a.tryAcquire(new Call(SEARCH, 0))).isTrue();
    assertThat(a.tryAcquire(new Call(UNSAFE, 1))).isFalse();
  }

  @Test
  void manyThreadsManyRuns_limitNeverExceededAndEveryAcquireReleased() throws Exception {
    AdaptiveAdmissionControl control =
        AdaptiveAdmissionControl.builder()
            .limits(() -> AdaptiveLimit.builder().initialLimit(5).maxLimit(5).build())
            .build();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  Admission run = control.open("run" + thread, () -> {});
                  int admitted = 0;
                  for (int i = 0; admitted < 2000; i++) {
                    Call c = new Call(SEARCH, i);
                    boolean ok;
                    synchronized (run) {
                      ok = run.tryAcquire(c);
                    }
                    if (!ok) {
                      Thread.onSpinWait();
                      continue;
                    }
                    admitted++;
                    int now = running.incrementAndGet();
                    maxSeen.accumulateAndGet(now, Math::max);
                    running.decrementAndGet();
                    synchronized (run) {
                      run.release(c, sample(AttemptSample.Outcome.SUCCESS, 100));
                    }
                  }
                  run.close();
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(maxSeen.get()).isLessThanOrEqualTo(5);
    assertThat(control.inFlight("search")).isZero();
  }
}
