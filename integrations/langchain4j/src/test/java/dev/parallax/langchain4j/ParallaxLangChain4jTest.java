package dev.parallax.langchain4j;

import static dev.parallax.langchain4j.ScriptedChatModel.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor.Builder;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real AiServices with scripted chat models, the tool calls running through Parallax. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallaxLangChain4jTest {

  interface Assistant {
    String chat(String message);
  }

  interface StreamingAssistant {
    dev.langchain4j.service.TokenStream chat(String message);
  }

  /** Tools whose calls wait for each other: they only finish if they all run at once. */
  static final class RendezvousTools {
    final CountDownLatch allStarted;
    final AtomicInteger flakyAttempts = new AtomicInteger();
    final CountDownLatch never = new CountDownLatch(1);

    RendezvousTools(int parties) {
      this.allStarted = new CountDownLatch(parties);
    }

    @Tool("Current weather of a city")
    @ParallaxTool(idempotent = true, cacheable = true)
    String weather(@P("the city") String city) throws InterruptedException {
      allStarted.countDown();
      allStarted.await();
      return "sunny in " + city;
    }

    @Tool("Fails: its backend is down")
    String broken(@P("anything") String input) {
      allStarted.countDown();
      throw new IllegalStateException("backend down for " + input);
    }

    @Tool("Never answers")
    String stuck(@P("anything") String input) throws InterruptedException {
      allStarted.countDown();
      never.await();
      return "unreachable";
    }

    @Tool("Fails once, then answers")
    @ParallaxTool(idempotent = true)
    String flaky(@P("anything") String input) throws java.io.IOException {
      if (flakyAttempts.incrementAndGet() == 1) {
        throw new java.io.IOException("connection reset");
      }
      return "flaky ok " + input;
    }
  }

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final ConcurrentLinkedQueue<ExecutionRecord> records = new ConcurrentLinkedQueue<>();
  private final LinkedBlockingQueue<RunResult> finishedRuns = new LinkedBlockingQueue<>();

  /**
   * The runs that finished, waiting for each: a run ends just after its last call's result is
   * handed back, so it may still be ending when the AI service returns.
   */
  private List<RunResult> awaitRuns(int count) throws InterruptedException {
    List<RunResult> runs = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      runs.add(finishedRuns.take());
    }
    return runs;
  }

  @AfterEach
  void closeTracing() {
    tracerProvider.close();
  }

  private dev.parallax.core.exec.ToolExecutor executor(Consumer<Builder> config) {
    Builder builder =
        dev.parallax.core.exec.ToolExecutor.builder()
            .openTelemetry(OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build())
            .recordSink(records::add)
            .listener(
                new ExecutionListener() {
                  @Override
                  public void onRunFinished(RunResult result) {
                    finishedRuns.add(result);
                  }
                });
    config.accept(builder);
    return builder.build();
  }

  @Test
  @SuppressWarnings("try") // the scope only makes the agent span current while the model runs
  void turnOfParallelCalls_runsAsOneParallaxRun_inParallel_resultsInCallOrder() throws Exception {
    RendezvousTools tools = new RendezvousTools(3);
    Span agent;
    ScriptedChatModel model =
        new ScriptedChatModel(
            List.of(
                call("c1", "weather", "{\"arg0\":\"Lisbon\"}"),
                call("c2", "weather", "{\"arg0\":\"Porto\"}"),
                call("c3", "weather", "{\"arg0\":\"Faro\"}")));
    try (var executor = executor(b -> {})) {
      ParallaxLangChain4j parallax = ParallaxLangChain4j.builder(executor).tools(tools).build();
      Assistant assistant =
          parallax.install(AiServices.builder(Assistant.class).chatModel(model)).build();

      agent = tracerProvider.get("test").spanBuilder("agent").startSpan();
      String answer;
      try (Scope scope = agent.makeCurrent()) {
        answer = assistant.chat("weather in three cities?");
      } finally {
        agent.end();
      }

      // the three calls met at the latch: they ran at once (one after another they would hang)
      assertThat(answer).isEqualTo("sunny in Lisbon | sunny in Porto | sunny in Faro");
      assertThat(model.seenResults.get(0))
          .extracting(ToolExecutionResultMessage::id)
          .containsExactly("c1", "c2", "c3");
      assertThat(records)
          .extracting(ExecutionRecord::callId)
          .containsExactlyInAnyOrder("c1", "c2", "c3");
      assertThat(records)
          .extracting(ExecutionRecord::runId)
          .hasSize(3)
          .containsOnly(records.peek().runId());
      assertThat(parallax.openTurns()).isZero();
      assertThat(awaitRuns(1)).singleElement().satisfies(r -> assertThat(r.results()).isNotEmpty());
      assertThat(finishedRuns).isEmpty();
    }
    List<SpanData> finished = spans.getFinishedSpanItems();
    SpanData run =
        finished.stream()
            .filter(s -> s.getName().equals(ToolSpanAttributes.RUN_SPAN_NAME))
            .findFirst()
            .orElseThrow();
    List<SpanData> toolSpans =
        finished.stream().filter(s -> s.getName().equals("execute_tool weather")).toList();
    assertThat(run.getParentSpanId()).isEqualTo(agent.getSpanContext().getSpanId());
    assertThat(run.getAttributes().get(ToolSpanAttributes.RUN_CALLS)).isEqualTo(3L);
    assertThat(toolSpans).hasSize(3);
    assertThat(toolSpans).allMatch(s -> s.getParentSpanId().equals(run.getSpanId()));
  }

  @Test
  void failedTimedOutAndInvalidCalls_becomeErrorResults_andSiblingsKeepTheirs() {
    RendezvousTools tools = new RendezvousTools(0);
    ScriptedChatModel model =
        new ScriptedChatModel(
            List.of(
                call("ok", "weather", "{\"arg0\":\"Lisbon\"}"),
                call("fails", "broken", "{\"arg0\":\"x\"}"),
                call("hangs", "stuck", "{\"arg0\":\"x\"}"),
                call("invalid", "weather", "{\"town\":\"Lisbon\"}"),
                call("retried", "flaky", "{\"arg0\":\"y\"}")));
    try (var executor =
        executor(
            b ->
                b.toolPolicy(
                        "stuck", ToolPolicy.builder().attemptTimeout(Duration.ofMillis(50)).build())
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(2)
                            .initialDelay(Duration.ofMillis(1))
                            .build()))) {
      ParallaxLangChain4j parallax = ParallaxLangChain4j.builder(executor).tools(tools).build();
      Assistant assistant =
          parallax.install(AiServices.builder(Assistant.class).chatModel(model)).build();

      String answer = assistant.chat("go");

      List<ToolExecutionResultMessage> results = model.seenResults.get(0);
      assertThat(results)
          .extracting(ToolExecutionResultMessage::id)
          .containsExactly("ok", "fails", "hangs", "invalid", "retried");
      assertThat(results)
          .extracting(ToolExecutionResultMessage::isError)
          .containsExactly(false, true, true, true, false);
      assertThat(results.get(0).text()).isEqualTo("sunny in Lisbon");
      assertThat(results.get(1).text())
          .isEqualTo("Error: tool 'broken' failed: backend down for x");
      assertThat(results.get(2).text())
          .isEqualTo("Error: tool 'stuck' timed out after PT0.05S; try again later or without it.");
      assertThat(results.get(3).text())
          .startsWith("Error: invalid arguments for tool 'weather': ")
          .contains("missing required property 'arg0'")
          .endsWith("Correct the arguments and call it again.");
      assertThat(results.get(4).text()).isEqualTo("flaky ok y");
      assertThat(tools.flakyAttempts).hasValue(2);
      assertThat(answer).startsWith("sunny in Lisbon | Error: tool 'broken' failed");
      assertThat(parallax.openTurns()).isZero();
    }
  }

  @Test
  void hallucinatedToolName_isLeftToLangChain4j_andTheTurnStillEnds() throws Exception {
    RendezvousTools tools = new RendezvousTools(1);
    ScriptedChatModel model =
        new ScriptedChatModel(
            List.of(
                call("real", "weather", "{\"arg0\":\"Lisbon\"}"), call("ghost", "teleport", "{}")));
    try (var executor = executor(b -> {})) {
      ParallaxLangChain4j parallax = ParallaxLangChain4j.builder(executor).tools(tools).build();
      Assistant assistant =
          parallax
              .install(
                  AiServices.builder(Assistant.class)
                      .chatModel(model)
                      .hallucinatedToolNameStrategy(
                          request ->
                              ToolExecutionResultMessage.from(
                                  request, "no tool named " + request.name())))
              .build();

      assertThat(assistant.chat("go")).isEqualTo("sunny in Lisbon | no tool named teleport");
      assertThat(parallax.openTurns()).isZero();
      assertThat(awaitRuns(1)).singleElement().satisfies(r -> assertThat(r.results()).isNotEmpty());
      assertThat(finishedRuns).isEmpty();
    }
  }

  @Test
  void streaming_eachCallStartsWhenItHasArrived_beforeTheMessageEnds() throws Exception {
    int calls = 3;
    CountDownLatch[] started = new CountDownLatch[calls];
    for (int i = 0; i < calls; i++) {
      started[i] = new CountDownLatch(1);
    }
    AtomicInteger startedSoFar = new AtomicInteger();
    ToolSpecification spec =
        ToolSpecification.builder()
            .name("lookup")
            .description("Looks a key up")
            .parameters(JsonObjectSchema.builder().addStringProperty("key").required("key").build())
            .build();
    ToolExecutor lookup =
        (request, memoryId) -> {
          started[startedSoFar.getAndIncrement()].countDown();
          return "value of " + request.arguments();
        };
    // the model streams the next call only once the previous one has started in Parallax
    ScriptedStreamingChatModel model =
        new ScriptedStreamingChatModel(
            List.of(
                call("s1", "lookup", "{\"key\":\"a\"}"),
                call("s2", "lookup", "{\"key\":\"b\"}"),
                call("s3", "lookup", "{\"key\":\"c\"}")),
            i -> {
              try {
                started[i].await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    try (var executor = executor(b -> {})) {
      ParallaxLangChain4j parallax =
          ParallaxLangChain4j.builder(executor).tools(Map.of(spec, lookup)).build();
      StreamingAssistant assistant =
          parallax
              .install(AiServices.builder(StreamingAssistant.class).streamingChatModel(model))
              .build();
      CompletableFuture<String> answer = new CompletableFuture<>();
      assistant
          .chat("go")
          .onPartialResponse(text -> {})
          .onCompleteResponse(response -> answer.complete(response.aiMessage().text()))
          .onError(answer::completeExceptionally)
          .start();

      assertThat(answer.get())
          .isEqualTo(
              "value of {\"key\":\"a\"} | value of {\"key\":\"b\"} | value of {\"key\":\"c\"}");
      assertThat(records)
          .extracting(ExecutionRecord::runId)
          .hasSize(3)
          .containsOnly(records.peek().runId());
      assertThat(parallax.openTurns()).isZero();
      assertThat(awaitRuns(1)).singleElement().satisfies(r -> assertThat(r.results()).isNotEmpty());
      assertThat(finishedRuns).isEmpty();
    }
  }

  @Test
  void withoutTheListeners_callsStillRunThroughParallax_andNoTurnIsLeftOpen() throws Exception {
    RendezvousTools tools = new RendezvousTools(2);
    ScriptedChatModel model =
        new ScriptedChatModel(
            List.of(
                call("c1", "weather", "{\"arg0\":\"Lisbon\"}"),
                call("c2", "weather", "{\"arg0\":\"Porto\"}")));
    try (var executor = executor(b -> {})) {
      ParallaxLangChain4j parallax = ParallaxLangChain4j.builder(executor).tools(tools).build();
      Assistant assistant =
          AiServices.builder(Assistant.class)
              .chatModel(model)
              .tools(parallax.aiServiceTools())
              .executeToolsConcurrently(parallax.executor())
              .build();

      assertThat(assistant.chat("go")).isEqualTo("sunny in Lisbon | sunny in Porto");
      assertThat(parallax.openTurns()).isZero();
      assertThat(awaitRuns(1)).singleElement().satisfies(r -> assertThat(r.results()).isNotEmpty());
      assertThat(finishedRuns).isEmpty();
    }
  }

  @Test
  void tools_becomeParallaxTools_withNameDescriptionSchemaAndDeclaredProperties() {
    ToolSpecification spec =
        ToolSpecification.builder()
            .name("lookup")
            .description("Looks a key up")
            .parameters(JsonObjectSchema.builder().addStringProperty("key").required("key").build())
            .build();
    ToolExecutor lookup = (request, memoryId) -> "x";
    try (var executor = executor(b -> {})) {
      ParallaxLangChain4j parallax =
          ParallaxLangChain4j.builder(executor)
              .tools(new RendezvousTools(0))
              .tools(Map.of(spec, lookup))
              .cacheable("lookup")
              .build();

      var weather = parallax.registry().require("weather").spec();
      assertThat(weather.description()).isEqualTo("Current weather of a city");
      assertThat(weather.idempotent()).isTrue();
      assertThat(weather.cacheable()).isTrue();
      assertThat(weather.inputSchema())
          .contains("\"type\":\"object\"")
          .contains("\"arg0\":{\"type\":\"string\",\"description\":\"the city\"}")
          .contains("\"required\":[\"arg0\"]");
      var broken = parallax.registry().require("broken").spec();
      assertThat(broken.idempotent()).isFalse();
      assertThat(broken.cacheable()).isFalse();
      var looked = parallax.registry().require("lookup").spec();
      assertThat(looked.cacheable()).isTrue();
      assertThat(looked.idempotent()).isFalse();
      assertThat(looked.inputSchema()).contains("\"key\":{\"type\":\"string\"}");
    }
  }

  @Test
  void toolExecutor_usedOutsideAnAiService_runsTheCallAsARunOfItsOwn() throws Exception {
    ToolSpecification spec = ToolSpecification.builder().name("ping").build();
    ToolExecutor ping = (request, memoryId) -> "pong";
    try (var executor = executor(b -> {})) {
      ParallaxLangChain4j parallax =
          ParallaxLangChain4j.builder(executor).tools(Map.of(spec, ping)).build();
      ToolExecutionResult result =
          parallax
              .toolExecutors()
              .values()
              .iterator()
              .next()
              .executeWithContext(call("p", "ping", "{}"), null);
      assertThat(result.resultText()).isEqualTo("pong");
      assertThat(parallax.openTurns()).isZero();
      assertThat(awaitRuns(1)).singleElement().satisfies(r -> assertThat(r.results()).isNotEmpty());
      assertThat(finishedRuns).isEmpty();
    }
  }
}
