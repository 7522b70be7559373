package dev.parallax.core.hedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.testing.SimTool.Step;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hedged calls (issue 17, item 1), in virtual time unless a real thread must be interrupted. */
@Timeout(30)
class HedgingTest {

  /** Predicts 50 ms, upper 100 ms, for every call. */
  private static final Predictor UPPER_100 =
      call -> new Prediction(Duration.ofMillis(50), Duration.ofMillis(100), 1.0, "test");

  /** A budget of one hedge per call: every call earns its own hedge (the bucket starts empty). */
  private static final HedgePolicy EVERY_CALL = HedgePolicy.builder().budget(1).build();

  private final List<ExecutionRecord> records = Collections.synchronizedList(new ArrayList<>());

  private Sim sim(HedgePolicy hedging) {
    return new Sim(
        b -> b.predictor(UPPER_100).hedging(hedging).recordSink(records::add).maxConcurrency(64));
  }

  private static SimTool tool(String name, boolean idempotent, long firstMs, long secondMs) {
    return new SimTool(
        SimTool.spec(name, idempotent),
        (in, attempt) -> Step.ok(attempt == 1 ? firstMs : secondMs, name + "#" + attempt));
  }

  private static ExecutionPlan one(Tool<Object, Object> tool) {
    return ExecutionPlan.parallel(List.of(ToolCall.of("c", tool, "x")));
  }

  private List<ExecutionRecord> recordsOf(String callId) {
    synchronized (records) {
      return records.stream().filter(r -> r.callId().equals(callId)).toList();
    }
  }

  @Test
  void slowFirstAttempt_hedgedAtPredictedUpper_hedgeWinsAndFirstIsCancelled() {
    Sim sim = sim(EVERY_CALL);
    RunResult result = sim.run(one(tool("t", true, 1000, 30)));

    CallResult<?> call = result.results().get(0);
    assertThat(call.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(call.value()).isEqualTo("t#2");
    assertThat(call.attempts()).isEqualTo(2);
    // hedge started at the predicted upper latency (100 ms) and took 30 ms
    assertThat(Duration.between(call.startedAt(), call.finishedAt()))
        .isEqualTo(Duration.ofMillis(130));
    assertThat(sim.executor.hedgesStarted()).isEqualTo(1);
    assertThat(sim.executor.hedgesWon()).isEqualTo(1);
    assertThat(sim.time.pendingTasks()).as("no timer left behind").isZero();

    List<ExecutionRecord> rs = recordsOf("c");
    assertThat(rs).hasSize(2);
    ExecutionRecord first = rs.stream().filter(r -> r.attempt() == 1).findFirst().orElseThrow();
    ExecutionRecord hedge = rs.stream().filter(r -> r.attempt() == 2).findFirst().orElseThrow();
    assertThat(first.status()).isEqualTo(CallStatus.CANCELLED);
    assertThat(first.hedge()).isFalse();
    assertThat(first.hedged()).isTrue();
    assertThat(first.finalAttempt()).isFalse();
    assertThat(hedge.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(hedge.hedge()).isTrue();
    assertThat(hedge.finalAttempt()).isTrue();
  }

  @Test
  void firstAttemptWithinPrediction_isNotHedged() {
    Sim sim = sim(EVERY_CALL);
    RunResult result = sim.run(one(tool("t", true, 90, 30)));

    assertThat(result.results().get(0).attempts()).isEqualTo(1);
    assertThat(sim.executor.hedgesStarted()).isZero();
    assertThat(recordsOf("c")).singleElement().satisfies(r -> assertThat(r.hedged()).isFalse());
    assertThat(sim.time.pendingTasks()).as("hedge timer cancelled").isZero();
  }

  @Test
  void hedgeStartedButFirstAnswers_firstWinsAndHedgeIsCancelled() {
    Sim sim = sim(EVERY_CALL);
    RunResult result = sim.run(one(tool("t", true, 150, 1000)));

    CallResult<?> call = result.results().get(0);
    assertThat(call.value()).isEqualTo("t#1");
    assertThat(Duration.between(call.startedAt(), call.finishedAt()))
        .isEqualTo(Duration.ofMillis(150));
    assertThat(sim.executor.hedgesStarted()).isEqualTo(1);
    assertThat(sim.executor.hedgesWon()).isZero();
    assertThat(recordsOf("c"))
        .anySatisfy(
            r -> {
              assertThat(r.hedge()).isTrue();
              assertThat(r.status()).isEqualTo(CallStatus.CANCELLED);
            });
  }

  @Test
  void nonIdempotentTool_isNeverHedged() {
    Sim sim = sim(EVERY_CALL);
    RunResult result = sim.run(one(tool("t", false, 1000, 30)));

    assertThat(result.results().get(0).value()).isEqualTo("t#1");
    assertThat(sim.executor.hedgesStarted()).isZero();
  }

  @Test
  void budgetStartsEmpty_aFreshExecutorHedgesOnlyWhatItsCallsEarned() {
    Sim sim = sim(HedgePolicy.ofDefaults()); // 0.1 per call: the first hedge after ten calls
    SimTool slow = tool("t", true, 1000, 30);
    sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("a", slow, "x"))));
    assertThat(sim.executor.hedgesStarted()).isZero();
    sim.run(
        ExecutionPlan.parallel(
            IntStream.range(0, 9)
                .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of("b" + i, slow, "x"))
                .toList()));
    assertThat(sim.executor.hedgesStarted()).isEqualTo(1);
  }

  @Test
  void hedgingOffByDefault() {
    Sim sim = new Sim(b -> b.predictor(UPPER_100));
    RunResult result = sim.run(one(tool("t", true, 1000, 30)));

    assertThat(result.results().get(0).value()).isEqualTo("t#1");
    assertThat(sim.executor.hedgesStarted()).isZero();
  }

  @Test
  void withoutPrediction_predictedHedgeIsNotStarted_fixedDelayHedgeIs() {
    Sim predicted = new Sim(b -> b.hedging(EVERY_CALL));
    assertThat(predicted.run(one(tool("t", true, 1000, 30))).results().get(0).value())
        .isEqualTo("t#1");

    Sim fixed =
        new Sim(
            b ->
                b.hedging(
                    HedgePolicy.builder().budget(1).fixedDelay(Duration.ofMillis(200)).build()));
    CallResult<?> call = fixed.run(one(tool("t", true, 1000, 30))).results().get(0);
    assertThat(call.value()).isEqualTo("t#2");
    assertThat(Duration.between(call.startedAt(), call.finishedAt()))
        .isEqualTo(Duration.ofMillis(230));
  }

  @Test
  void budget_capsHedgesAtBudgetTimesCallsPlusBurst() {
    Sim sim = sim(HedgePolicy.builder().budget(0.1).burst(2).build());
    SimTool slow = tool("t", true, 1000, 30);
    int calls = 0;
    for (int wave = 0; wave < 10; wave++) { // waves of 20 calls, each first attempt slow
      List<ToolCall<?, ?>> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        batch.add(ToolCall.of("w" + wave + "-" + i, slow, "x"));
      }
      calls += batch.size();
      sim.run(ExecutionPlan.parallel(batch));
    }
    assertThat(sim.executor.hedgesStarted()).isBetween(1L, (long) (0.1 * calls));
  }

  @Test
  void failingBackend_isNotHedged() {
    Sim sim = sim(EVERY_CALL);
    AtomicInteger failures = new AtomicInteger(10);
    SimTool flaky =
        new SimTool(
            SimTool.spec("t", true),
            (in, attempt) ->
                failures.getAndDecrement() > 0
                    ? Step.fail(10, new IllegalStateException("overloaded"))
                    : Step.ok(attempt == 1 ? 1000 : 30, "t#" + attempt));
    sim.run(
        ExecutionPlan.parallel(
            IntStream.range(0, 10)
                .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of("f" + i, flaky, "x"))
                .toList()));
    RunResult result = sim.run(one(flaky));

    assertThat(result.results().get(0).value()).isEqualTo("t#1");
    assertThat(sim.executor.hedgesStarted()).isZero();
  }

  @Test
  void hedgeCountsAgainstConcurrencyLimits_noFreeSlotMeansNoHedge() {
    Sim runLimit = new Sim(b -> b.predictor(UPPER_100).hedging(EVERY_CALL).maxConcurrency(1));
    assertThat(runLimit.run(one(tool("t", true, 1000, 30))).results().get(0).value())
        .isEqualTo("t#1");
    assertThat(runLimit.executor.hedgesStarted()).isZero();

    Sim toolLimit =
        new Sim(b -> b.predictor(UPPER_100).hedging(EVERY_CALL).toolConcurrency("t", 1));
    assertThat(toolLimit.run(one(tool("t", true, 1000, 30))).results().get(0).value())
        .isEqualTo("t#1");
    assertThat(toolLimit.executor.hedgesStarted())
        .as("refused by admission, token refunded")
        .isZero();
  }

  @Test
  void hedgeFailsWhileFirstRuns_callWaitsForFirst() {
    Sim sim = sim(EVERY_CALL);
    SimTool tool =
        new SimTool(
            SimTool.spec("t", true),
            (in, attempt) ->
                attempt == 1 ? Step.ok(400, "t#1") : Step.fail(10, new IllegalStateException("x")));
    CallResult<?> call = sim.run(one(tool)).results().get(0);

    assertThat(call.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(call.value()).isEqualTo("t#1");
    assertThat(recordsOf("c"))
        .anySatisfy(
            r -> {
              assertThat(r.hedge()).isTrue();
              assertThat(r.status()).isEqualTo(CallStatus.FAILED);
              assertThat(r.finalAttempt()).isFalse();
            });
  }

  @Test
  void bothAttemptsFail_retryPolicyDecidesAfterTheLaterFailure() {
    Sim sim =
        new Sim(
            b ->
                b.predictor(UPPER_100)
                    .hedging(EVERY_CALL)
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .initialDelay(Duration.ofMillis(10))
                            .jitter(0)
                            .build()));
    SimTool tool =
        new SimTool(
            SimTool.spec("t", true),
            (in, attempt) ->
                switch (attempt) {
                  case 1 -> Step.fail(300, new IllegalStateException("first"));
                  case 2 -> Step.fail(50, new IllegalStateException("hedge"));
                  default -> Step.ok(500, "t#" + attempt);
                });
    CallResult<?> call = sim.run(one(tool)).results().get(0);

    assertThat(call.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(call.value()).as("the hedge used one of the three attempts").isEqualTo("t#3");
    assertThat(call.attempts()).isEqualTo(3);
    assertThat(sim.executor.hedgesStarted()).as("retries are not hedged").isEqualTo(1);
  }

  @Test
  void eachAttemptHasItsOwnTimeout() {
    Sim sim =
        new Sim(
            b -> b.predictor(UPPER_100).hedging(EVERY_CALL).attemptTimeout(Duration.ofMillis(300)));
    CallResult<?> call = sim.run(one(tool("t", true, 1000, 1000))).results().get(0);

    assertThat(call.status()).isEqualTo(CallStatus.TIMED_OUT);
    // first times out at 300 ms, the hedge (started at 100 ms) at 400 ms
    assertThat(Duration.between(call.startedAt(), call.finishedAt()))
        .isEqualTo(Duration.ofMillis(400));
    assertThat(sim.time.pendingTasks()).isZero();
  }

  @Test
  void runDeadline_stopsBothAttempts() {
    Sim sim =
        new Sim(
            b ->
                b.predictor(UPPER_100)
                    .hedging(EVERY_CALL)
                    .recordSink(records::add)
                    .runDeadline(Duration.ofMillis(250)));
    CallResult<?> call = sim.run(one(tool("t", true, 1000, 1000))).results().get(0);

    assertThat(call.status()).isEqualTo(CallStatus.TIMED_OUT);
    assertThat(sim.executor.hedgesStarted()).isEqualTo(1);
    assertThat(recordsOf("c")).hasSize(2).allSatisfy(r -> assertThat(r.hedged()).isTrue());
    assertThat(sim.time.pendingTasks()).isZero();
  }

  @Test
  void hedgeDelayPastTheRunDeadline_noHedge() {
    Sim sim =
        new Sim(b -> b.predictor(UPPER_100).hedging(EVERY_CALL).runDeadline(Duration.ofMillis(80)));
    sim.run(one(tool("t", true, 1000, 10)));
    assertThat(sim.executor.hedgesStarted()).isZero();
  }

  @Test
  void fallbackOffersAnAlternative_hedgeRunsItAndTheResultSaysSo() {
    SimTool alternative = tool("alt", true, 20, 20);
    FallbackPolicy fallback =
        new FallbackPolicy() {
          @Override
          public @Nullable Swap alternativeForHedge(PendingCall call) {
            return new Swap(alternative, "healthy alternative");
          }
        };
    Sim sim =
        new Sim(
            b ->
                b.predictor(UPPER_100)
                    .hedging(EVERY_CALL)
                    .fallback(fallback)
                    .recordSink(records::add));
    CallResult<?> call = sim.run(one(tool("t", true, 1000, 1000))).results().get(0);

    assertThat(call.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(call.tool()).isEqualTo("alt");
    assertThat(call.fallbackFrom()).isEqualTo("t");
    assertThat(call.fallbackReason()).isEqualTo("hedge: healthy alternative");
    assertThat(recordsOf("c"))
        .anySatisfy(
            r -> {
              assertThat(r.tool()).isEqualTo("alt");
              assertThat(r.hedge()).isTrue();
            });
  }

  @Test
  void spansMarkTheHedgeAndTheWinner() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
    Sim sim = new Sim(b -> b.predictor(UPPER_100).hedging(EVERY_CALL).openTelemetry(otel));
    sim.run(
        ExecutionPlan.parallel(
            List.of(
                ToolCall.of("slow", tool("t", true, 1000, 30), "x"),
                ToolCall.of("fast", tool("u", true, 10, 10), "x"))));

    SpanData slow = span(exporter, "slow");
    assertThat(slow.getAttributes().get(ToolSpanAttributes.HEDGED)).isTrue();
    assertThat(slow.getAttributes().get(ToolSpanAttributes.HEDGE_WINNER)).isEqualTo("hedge");
    assertThat(slow.getAttributes().get(ToolSpanAttributes.HEDGE_TOOL)).isEqualTo("t");
    assertThat(slow.getEvents())
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo(ToolSpanAttributes.HEDGE_EVENT));
    assertThat(span(exporter, "fast").getAttributes().get(ToolSpanAttributes.HEDGED)).isNull();
    otel.close();
  }

  private static SpanData span(InMemorySpanExporter exporter, String callId) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> callId.equals(s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID)))
        .findFirst()
        .orElseThrow();
  }

  /** A tool on real threads: its first call blocks until interrupted, later calls return. */
  private static final class BlockingFirst implements Tool<Object, Object> {
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch firstInterrupted = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch never = new CountDownLatch(1);
    private final boolean blockAll;

    BlockingFirst(boolean blockAll) {
      this.blockAll = blockAll;
    }

    @Override
    public ToolSpec spec() {
      return SimTool.spec("blocking", true);
    }

    @Override
    public Object call(Object input, ToolContext context) {
      int n = calls.incrementAndGet();
      if (n > 1 && !blockAll) {
        return "hedge";
      }
      if (n == 1) {
        firstStarted.countDown();
      }
      try {
        never.await();
        return "never";
      } catch (InterruptedException e) {
        if (n == 1) {
          firstInterrupted.countDown();
        }
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  @Test
  void hedgeWins_loserOnARealThreadIsInterrupted() throws Exception {
    VirtualTime time = new VirtualTime();
    BlockingFirst tool = new BlockingFirst(false);
    try (ToolExecutor executor =
        ToolExecutor.builder().timeSource(time).predictor(UPPER_100).hedging(EVERY_CALL).build()) {
      ToolRun run = executor.start(one(tool));
      assertThat(tool.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      time.advance(Duration.ofMillis(100)); // the hedge falls due
      RunResult result = run.result().get(10, TimeUnit.SECONDS);
      assertThat(result.results().get(0).value()).isEqualTo("hedge");
      assertThat(tool.firstInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(executor.activeRuns()).isZero();
    }
  }

  @Test
  void cancel_interruptsBothAttempts() throws Exception {
    VirtualTime time = new VirtualTime();
    BlockingFirst tool = new BlockingFirst(true);
    try (ToolExecutor executor =
        ToolExecutor.builder().timeSource(time).predictor(UPPER_100).hedging(EVERY_CALL).build()) {
      ToolRun run = executor.start(one(tool));
      assertThat(tool.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      time.advance(Duration.ofMillis(100));
      while (tool.calls.get() < 2) {
        Thread.onSpinWait(); // the hedge starts on its own virtual thread
      }
      run.cancel();
      RunResult result = run.result().get(10, TimeUnit.SECONDS);
      assertThat(result.results().get(0).status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(tool.firstInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(executor.hedgesStarted()).isEqualTo(1);
    }
  }

  @Test
  void policyValidation_namesTheBadValue() {
    assertThatThrownBy(() -> HedgePolicy.builder().budget(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("budget")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> HedgePolicy.builder().budget(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HedgePolicy.builder().budget(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HedgePolicy.builder().burst(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst");
    assertThatThrownBy(() -> HedgePolicy.builder().fixedDelay(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fixedDelay");
    assertThatThrownBy(() -> HedgePolicy.builder().minDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HedgePolicy.builder().maxFailureRate(1.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                HedgePolicy.builder()
                    .minDelay(Duration.ofMillis(50))
                    .fixedDelay(Duration.ofMillis(10))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("below minDelay");
    assertThatThrownBy(() -> ToolExecutor.builder().hedging(null))
        .isInstanceOf(NullPointerException.class);
    assertThat(HedgePolicy.none().enabled()).isFalse();
    assertThat(HedgePolicy.ofDefaults().budget()).isEqualTo(0.1);
  }
}
