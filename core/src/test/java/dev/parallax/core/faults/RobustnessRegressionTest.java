package dev.parallax.core.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.testing.ThrowingTimeSource;
import dev.parallax.core.time.TimeSource;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Regression tests for runs that did not finish or resources that were kept (issue 11). */
class RobustnessRegressionTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

  private static final Tool<Integer, Integer> TWICE =
      Tools.named("twice").idempotent(true).input(Integer.class).function((in, ctx) -> in * 2);

  // Regression: Duration.ofSeconds(Long.MAX_VALUE) overflowed inside a run event and hung the run.
  @Test
  void durationTooLongForNanoseconds_meansNoLimit_inEveryOption() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try (ToolExecutor executor =
              ToolExecutor.builder()
                  .attemptTimeout(FOREVER)
                  .runDeadline(FOREVER)
                  .retryPolicy(
                      RetryPolicy.builder().initialDelay(FOREVER).maxDelay(FOREVER).build())
                  .build()) {
            RunResult run =
                executor.execute(
                    ExecutionPlan.parallel(List.of(ToolCall.of("a", TWICE, 21)))
                        .withDeadline(FOREVER));
            assertThat(run.get("a").status()).isEqualTo(CallStatus.SUCCEEDED);
            assertThat(run.get("a").value()).isEqualTo(42);

            Tool<Integer, Integer> failing =
                Tools.named("failing")
                    .idempotent(true)
                    .input(Integer.class)
                    .function(
                        (in, ctx) -> {
                          throw new IOException("down");
                        });
            CallResult<?> failed =
                executor
                    .execute(ExecutionPlan.parallel(List.of(ToolCall.of("f", failing, 1))))
                    .get("f");
            assertThat(failed.status())
                .as("a retry that could never fall due is not waited for")
                .isEqualTo(CallStatus.FAILED);
            assertThat(failed.attempts()).isEqualTo(1);
          }
          try (ToolExecutor executor =
              ToolExecutor.builder()
                  .retryPolicy(
                      RetryPolicy.builder()
                          .maxAttempts(2)
                          .initialDelay(Duration.ZERO)
                          .maxDelay(FOREVER)
                          .build())
                  .build()) {
            AtomicInteger calls = new AtomicInteger();
            Tool<Integer, Integer> flaky =
                Tools.named("flaky")
                    .idempotent(true)
                    .input(Integer.class)
                    .function(
                        (in, ctx) -> {
                          if (calls.incrementAndGet() == 1) {
                            throw new IOException("once");
                          }
                          return in;
                        });
            CallResult<?> retried =
                executor
                    .execute(ExecutionPlan.parallel(List.of(ToolCall.of("r", flaky, 1))))
                    .get("r");
            assertThat(retried.status())
                .as("maxDelay FOREVER: no cap")
                .isEqualTo(CallStatus.SUCCEEDED);
            assertThat(retried.attempts()).isEqualTo(2);
          }
        });
  }

  // Regression: after the overflow, interrupting the caller or close() hung as well.
  @Test
  void durationTooLongForNanoseconds_interruptingTheCallerAndClose_stillReturn() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          CountDownLatch started = new CountDownLatch(1);
          Tool<Integer, Integer> blocking =
              Tools.named("blocking")
                  .input(Integer.class)
                  .function(
                      (in, ctx) -> {
                        started.countDown();
                        new CountDownLatch(1).await(); // until interrupted
                        return in;
                      });
          ToolExecutor executor =
              ToolExecutor.builder().attemptTimeout(FOREVER).runDeadline(FOREVER).build();
          AtomicReference<RunResult> result = new AtomicReference<>();
          Thread caller =
              Thread.ofPlatform()
                  .start(
                      () ->
                          result.set(
                              executor.executeParallel(List.of(ToolCall.of("b", blocking, 1)))));
          assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
          caller.interrupt();
          caller.join();
          assertThat(result.get().get("b").status()).isEqualTo(CallStatus.CANCELLED);

          ToolRun open =
              executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("c", blocking, 2))));
          executor.close();
          assertThat(open.isDone()).isTrue();
          assertThat(open.result().join().get("c").status()).isEqualTo(CallStatus.CANCELLED);
        });
  }

  /** A time source whose timer fails with an error of the JVM itself. */
  private static final TimeSource BROKEN_JVM_TIMER =
      new ThrowingTimeSource(new InternalError("the JVM is in trouble"));

  // Regression: executeAsync completed its view with null when the run ended exceptionally.
  @Test
  void executeAsync_runEndedExceptionally_completesTheFutureExceptionally_notWithNull() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try (ToolExecutor executor =
              ToolExecutor.builder()
                  .timeSource(BROKEN_JVM_TIMER)
                  .attemptTimeout(Duration.ofSeconds(5))
                  .build()) {
            CompletableFuture<RunResult> future =
                executor.executeParallelAsync(List.of(ToolCall.of("a", TWICE, 1)));
            assertThatThrownBy(future::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(InternalError.class);
            assertThat(executor.activeRuns()).isZero();
          }
        });
  }

  // Regression: an OutOfMemoryError inside a run left the caller waiting forever.
  @Test
  void errorOfTheJvmInsideARun_isRethrownToTheCaller_andCloseReturns() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          ToolExecutor executor =
              ToolExecutor.builder()
                  .timeSource(BROKEN_JVM_TIMER)
                  .attemptTimeout(Duration.ofSeconds(5))
                  .build();
          assertThatThrownBy(() -> executor.executeParallel(List.of(ToolCall.of("a", TWICE, 1))))
              .isInstanceOf(InternalError.class)
              .hasMessage("the JVM is in trouble");
          ToolRun run = executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("b", TWICE, 1))));
          assertThat(run.result()).failsWithin(BOUND);
          assertThat(run.cancel()).as("cancel of an ended run").isFalse();
          executor.close();
          assertThat(executor.activeRuns()).isZero();
        });
  }

  // Regression: a 1M-call batch that ran out of memory left its caller waiting forever.
  @Test
  void toolRunningOutOfMemory_endsTheRunAtOnce_andTheCallerGetsTheError() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          CountDownLatch never = new CountDownLatch(1);
          Tool<Integer, Integer> hungry =
              Tools.named("hungry")
                  .input(Integer.class)
                  .function(
                      (in, ctx) -> {
                        if (in == 0) {
                          throw new OutOfMemoryError("Java heap space (simulated)");
                        }
                        never.await(); // the others run until the run ends them
                        return in;
                      });
          try (ToolExecutor executor = ToolExecutor.builder().build()) {
            assertThatThrownBy(() -> executor.executeBatch(hungry, List.of(0, 1, 2, 3)))
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("simulated");
            assertThat(executor.activeRuns()).isZero();
          }
        });
  }

  // Regression: traced runs kept every finished call's span until the run ended.
  @Test
  void tracedRun_aFinishedCallKeepsNoSpan_whileTheRunGoesOn() throws Exception {
    Map<String, WeakReference<ReadableSpan>> spans = new ConcurrentHashMap<>();
    SpanProcessor weakly =
        new SpanProcessor() {
          @Override
          public void onStart(Context parentContext, ReadWriteSpan span) {
            spans.put(span.getName(), new WeakReference<>(span));
          }

          @Override
          public boolean isStartRequired() {
            return true;
          }

          @Override
          public void onEnd(ReadableSpan span) {}

          @Override
          public boolean isEndRequired() {
            return false;
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    OpenTelemetry otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(weakly).build())
            .build();
    CountDownLatch release = new CountDownLatch(1);
    Tool<Integer, Integer> waiting =
        Tools.named("waiting")
            .input(Integer.class)
            .function(
                (in, ctx) -> {
                  release.await();
                  return in;
                });
    CountDownLatch quickDone = new CountDownLatch(1);
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .openTelemetry(otel)
            .listener(
                new dev.parallax.core.event.ExecutionListener() {
                  @Override
                  public void onFinished(
                      dev.parallax.core.spi.PendingCall call, CallResult<?> result) {
                    if (call.callId().equals("quick")) {
                      quickDone.countDown();
                    }
                  }
                })
            .build()) {
      ToolRun run =
          executor.start(
              ExecutionPlan.graph(
                  CallGraph.builder()
                      .add(ToolCall.of("quick", TWICE, 1))
                      .add(ToolCall.of("slow", waiting, 2))
                      .build()));
      assertThat(quickDone.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

      WeakReference<ReadableSpan> quickSpan = spans.get("execute_tool twice");
      assertThat(quickSpan).isNotNull();
      for (int i = 0; i < 50 && quickSpan.get() != null; i++) {
        System.gc();
      }
      assertThat(quickSpan.get()).as("the finished call's span is collectable").isNull();
      assertThat(spans.get("execute_tool waiting").get()).as("the running call's span").isNotNull();

      release.countDown();
      assertThat(run.result().get(BOUND.toSeconds(), TimeUnit.SECONDS).get("slow").status())
          .isEqualTo(CallStatus.SUCCEEDED);
    }
  }
}
