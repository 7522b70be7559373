package dev.parallax.springai;

import static dev.parallax.springai.testing.ScriptedChatModel.call;
import static dev.parallax.springai.testing.TestTools.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.trace.ToolSpanAttributes;
import dev.parallax.springai.testing.Latches;
import dev.parallax.springai.testing.ScriptedChatModel;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallLimitBehavior;
import org.springframework.ai.model.tool.ToolCallLimitExceededException;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.execution.DefaultToolExecutionExceptionProcessor;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;

/**
 * The manager under Spring AI's real {@link ChatClient} (its {@link ToolCallingAdvisor} runs the
 * tool loop) with a scripted chat model that asks for several tool calls in one message and then
 * quotes their results.
 */
@Timeout(60)
class ParallaxToolCallingManagerTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();
  private final List<ExecutionRecord> records = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeSdk() {
    openTelemetry.close();
  }

  private static ChatClient chatClient(ScriptedChatModel model, ToolCallingManager manager) {
    return chatClient(model, manager, ObservationRegistry.NOOP);
  }

  private static ChatClient chatClient(
      ScriptedChatModel model, ToolCallingManager manager, ObservationRegistry registry) {
    return ChatClient.builder(
            model, registry, null, null, ToolCallingAdvisor.builder().toolCallingManager(manager))
        .build();
  }

  private ToolExecutor.Builder tracedExecutor() {
    return ToolExecutor.builder().openTelemetry(openTelemetry).recordSink(records::add);
  }

  @Test
  void chatClient_fiveToolCalls_runAtOnce_andAnswerInCallOrder() {
    // every tool waits until all five have started: they can only finish if they run at once;
    // then they finish in reverse order (tool i waits for tool i+1), so finish order != call order
    int n = 5;
    CountDownLatch allStarted = new CountDownLatch(n);
    List<CountDownLatch> finished =
        IntStream.range(0, n).mapToObj(i -> new CountDownLatch(1)).toList();
    List<ToolCallback> tools =
        IntStream.range(0, n)
            .mapToObj(
                i ->
                    tool(
                        "tool" + i,
                        args -> {
                          allStarted.countDown();
                          Latches.await(allStarted, "all five tools to start");
                          if (i + 1 < n) {
                            Latches.await(finished.get(i + 1), "tool" + (i + 1) + " to finish");
                          }
                          finished.get(i).countDown();
                          return "result-" + i + " of " + args;
                        }))
            .toList();
    ScriptedChatModel model =
        new ScriptedChatModel(
            IntStream.range(0, n)
                .mapToObj(i -> call("id-" + i, "tool" + i, "{\"q\":" + i + "}"))
                .toList());

    try (ParallaxToolCallingManager manager =
        ParallaxToolCallingManager.builder().executor(tracedExecutor().build()).build()) {
      String answer =
          chatClient(model, manager).prompt("go").tools(tools.toArray()).call().content();

      assertThat(answer)
          .isEqualTo(
              "tool0(id-0)=result-0 of {\"q\":0}; tool1(id-1)=result-1 of {\"q\":1}; "
                  + "tool2(id-2)=result-2 of {\"q\":2}; tool3(id-3)=result-3 of {\"q\":3}; "
                  + "tool4(id-4)=result-4 of {\"q\":4}");
      assertThat(model.prompts()).hasSize(2);
      manager.executor().close();
    }
    assertThat(spans.getFinishedSpanItems())
        .filteredOn(s -> s.getName().startsWith("execute_tool "))
        .extracting(s -> s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID))
        .containsExactlyInAnyOrder("id-0", "id-1", "id-2", "id-3", "id-4");
    assertThat(records)
        .extracting(ExecutionRecord::tool, ExecutionRecord::status)
        .containsExactlyInAnyOrder(
            IntStream.range(0, n)
                .mapToObj(
                    i -> org.assertj.core.groups.Tuple.tuple("tool" + i, CallStatus.SUCCEEDED))
                .toArray(org.assertj.core.groups.Tuple[]::new));
  }

  @Test
  void issue4423_oneFailingTool_keepsTheResultsOfItsSiblings() {
    List<ToolCallback> tools =
        List.of(
            tool("before", args -> "fine before"),
            tool(
                "broken",
                args -> {
                  throw new IllegalStateException("inventory backend is down");
                }),
            tool("after", args -> "fine after"));
    ScriptedChatModel model =
        new ScriptedChatModel(
            List.of(
                call("a", "before"), call("b", "broken"), call("c", "nope"), call("d", "after")));

    try (ToolExecutor executor = tracedExecutor().build()) {
      ParallaxToolCallingManager manager =
          ParallaxToolCallingManager.builder().executor(executor).build();
      chatClient(model, manager).prompt("go").tools(tools.toArray()).call().content();
    }

    assertThat(model.lastToolResponses())
        .extracting(
            ToolResponseMessage.ToolResponse::id, ToolResponseMessage.ToolResponse::responseData)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "fine before"),
            // Spring AI's exception processor turns the tool's exception into its message
            org.assertj.core.groups.Tuple.tuple("b", "inventory backend is down"),
            org.assertj.core.groups.Tuple.tuple(
                "c",
                "Error: there is no tool named 'nope'. Available tools: before, broken, after."),
            org.assertj.core.groups.Tuple.tuple("d", "fine after"));
    assertThat(records)
        .extracting(ExecutionRecord::callId, ExecutionRecord::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", CallStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("b", CallStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("c", CallStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("d", CallStatus.SUCCEEDED));
    assertThat(spans.getFinishedSpanItems())
        .filteredOn(s -> "b".equals(s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID)))
        .extracting(s -> s.getAttributes().get(ToolSpanAttributes.ERROR_TYPE))
        .containsExactly(IllegalStateException.class.getName());
  }

  @Test
  void unknownTool_withDefaultManager_failsTheWholeTurn_butNotWithParallax() {
    // the contrast that #4423 is about: Spring AI's own manager throws for the batch
    ScriptedChatModel model = new ScriptedChatModel(List.of(call("a", "ok"), call("b", "missing")));
    List<ToolCallback> tools = List.of(tool("ok", args -> "fine"));
    ToolCallingManager springDefault = DefaultToolCallingManager.builder().build();

    assertThatThrownBy(
            () ->
                chatClient(model, springDefault)
                    .prompt("go")
                    .tools(tools.toArray())
                    .call()
                    .content())
        .hasMessageContaining("No ToolCallback found for tool name: missing");

    try (ParallaxToolCallingManager manager = ParallaxToolCallingManager.builder().build()) {
      String answer =
          chatClient(model, manager).prompt("go").tools(tools.toArray()).call().content();
      assertThat(answer)
          .isEqualTo(
              "ok(a)=fine; missing(b)=Error: there is no tool named 'missing'. Available tools: ok.");
    }
  }

  @Test
  void timedOutCall_becomesAnErrorResponse_whileSiblingsKeepTheirResults() {
    CountDownLatch never = new CountDownLatch(1);
    List<ToolCallback> tools =
        List.of(
            tool("fast", args -> "quick answer"),
            tool(
                "stuck",
                args -> {
                  Latches.await(never, "a latch that never opens");
                  return "unreachable";
                }));
    ScriptedChatModel model = new ScriptedChatModel(List.of(call("a", "fast"), call("b", "stuck")));

    // only the stuck tool has a time limit: the test must not depend on how fast this machine is
    try (ToolExecutor executor =
        tracedExecutor()
            .toolPolicy(
                "stuck", ToolPolicy.builder().attemptTimeout(Duration.ofMillis(100)).build())
            .build()) {
      ParallaxToolCallingManager manager =
          ParallaxToolCallingManager.builder().executor(executor).build();
      chatClient(model, manager).prompt("go").tools(tools.toArray()).call().content();
    } finally {
      never.countDown();
    }

    List<ToolResponseMessage.ToolResponse> responses = model.lastToolResponses();
    assertThat(responses.get(0).responseData()).isEqualTo("quick answer");
    assertThat(responses.get(1).id()).isEqualTo("b");
    assertThat(responses.get(1).responseData())
        .startsWith("Error: tool 'stuck' did not finish in time (")
        .endsWith("). Its result is unknown.");
    assertThat(records)
        .filteredOn(r -> r.callId().equals("b"))
        .extracting(ExecutionRecord::status)
        .containsExactly(CallStatus.TIMED_OUT);
  }

  @Test
  void idempotentTool_isRetried_otherToolsAreNot() {
    AtomicInteger flakyAttempts = new AtomicInteger();
    AtomicInteger unsafeAttempts = new AtomicInteger();
    List<ToolCallback> tools =
        List.of(
            tool(
                "flaky",
                args -> {
                  if (flakyAttempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("transient");
                  }
                  return "second time lucky";
                }),
            tool(
                "unsafe",
                args -> {
                  unsafeAttempts.incrementAndGet();
                  throw new IllegalStateException("payment declined");
                }));
    ScriptedChatModel model =
        new ScriptedChatModel(List.of(call("a", "flaky"), call("b", "unsafe")));
    RetryPolicy retry =
        RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).jitter(0).build();

    try (ToolExecutor executor = tracedExecutor().retryPolicy(retry).build()) {
      ParallaxToolCallingManager manager =
          ParallaxToolCallingManager.builder().executor(executor).idempotent("flaky").build();
      chatClient(model, manager).prompt("go").tools(tools.toArray()).call().content();
    }

    assertThat(model.lastToolResponses())
        .extracting(ToolResponseMessage.ToolResponse::responseData)
        .containsExactly("second time lucky", "payment declined");
    assertThat(flakyAttempts).hasValue(2);
    assertThat(unsafeAttempts).hasValue(1);
  }

  @Test
  void springAiToolObservations_areMadeForEveryCall_underTheCallersObservation() {
    ObservationRegistry registry = ObservationRegistry.create();
    Map<String, Observation.Context> toolObservations = new ConcurrentHashMap<>();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }

              @Override
              public void onStop(Observation.Context context) {
                if (context instanceof ToolCallingObservationContext tool) {
                  toolObservations.put(tool.getToolCallId(), tool);
                }
              }
            });
    List<ToolCallback> tools = List.of(tool("one", args -> "1"), tool("two", args -> "2"));
    ScriptedChatModel model = new ScriptedChatModel(List.of(call("a", "one"), call("b", "two")));

    try (ParallaxToolCallingManager manager =
        ParallaxToolCallingManager.builder().observationRegistry(registry).build()) {
      Observation turn = Observation.createNotStarted("test.turn", registry);
      turn.observe(
          () ->
              chatClient(model, manager, registry)
                  .prompt("go")
                  .tools(tools.toArray())
                  .call()
                  .content());
      assertThat(toolObservations).containsOnlyKeys("a", "b");
      assertThat(toolObservations.values())
          .allSatisfy(
              context -> {
                assertThat(context.getName()).isEqualTo("spring.ai.tool");
                assertThat(ancestors(context)).contains(turn);
              });
      assertThat(((ToolCallingObservationContext) toolObservations.get("b")).getToolCallResult())
          .isEqualTo("2");
    }
  }

  @Test
  void returnDirect_isTrueOnlyWhenEveryCalledToolIsReturnDirect() {
    List<ToolCallback> tools =
        List.of(
            tool("direct1", true, args -> "d1"),
            tool("direct2", true, args -> "d2"),
            tool("indirect", false, args -> "i"));
    try (ParallaxToolCallingManager manager = ParallaxToolCallingManager.builder().build()) {
      ToolExecutionResult allDirect =
          manager.executeToolCalls(
              prompt(tools), response(call("a", "direct1"), call("b", "direct2")));
      ToolExecutionResult mixed =
          manager.executeToolCalls(
              prompt(tools), response(call("a", "direct1"), call("b", "indirect")));

      assertThat(allDirect.returnDirect()).isTrue();
      assertThat(mixed.returnDirect()).isFalse();
      // history: the prompt's messages, the assistant message, then one tool response message
      assertThat(allDirect.conversationHistory()).hasSize(3);
      assertThat(allDirect.conversationHistory().get(2)).isInstanceOf(ToolResponseMessage.class);
    }
  }

  @Test
  void resolveToolDefinitions_matchesSpringAisDefaultManager() {
    List<ToolCallback> tools = List.of(tool("x", args -> ""), tool("y", args -> ""));
    ToolCallingChatOptions options = ToolCallingChatOptions.builder().toolCallbacks(tools).build();
    try (ParallaxToolCallingManager manager = ParallaxToolCallingManager.builder().build()) {
      assertThat(manager.resolveToolDefinitions(options))
          .isEqualTo(DefaultToolCallingManager.builder().build().resolveToolDefinitions(options));
    }
  }

  @Test
  void blankAndRepeatedModelIds_stillRunEveryCall_andKeepTheModelsIds() {
    List<ToolCallback> tools = List.of(tool("echo", args -> "echo " + args));
    try (ParallaxToolCallingManager manager = ParallaxToolCallingManager.builder().build()) {
      ToolExecutionResult result =
          manager.executeToolCalls(
              prompt(tools),
              response(
                  call("", "echo", "{\"n\":1}"),
                  call("dup", "echo", "{\"n\":2}"),
                  call("dup", "echo", "")));
      ToolResponseMessage responses = (ToolResponseMessage) result.conversationHistory().get(2);
      assertThat(responses.getResponses())
          .extracting(
              ToolResponseMessage.ToolResponse::id, ToolResponseMessage.ToolResponse::responseData)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("", "echo {\"n\":1}"),
              org.assertj.core.groups.Tuple.tuple("dup", "echo {\"n\":2}"),
              // empty arguments become {} as with Spring AI's default manager
              org.assertj.core.groups.Tuple.tuple("dup", "echo {}"));
    }
  }

  @Test
  void processorThatThrows_endsTheTurn_onlyAfterEverySiblingHasRun() {
    CountDownLatch siblingRan = new CountDownLatch(1);
    List<ToolCallback> tools =
        List.of(
            tool(
                "broken",
                args -> {
                  throw new IllegalStateException("fatal for this app");
                }),
            tool(
                "sibling",
                args -> {
                  siblingRan.countDown();
                  return "done";
                }));
    try (ParallaxToolCallingManager manager =
        ParallaxToolCallingManager.builder()
            .toolExecutionExceptionProcessor(
                DefaultToolExecutionExceptionProcessor.builder().alwaysThrow(true).build())
            .build()) {
      assertThatThrownBy(
              () ->
                  manager.executeToolCalls(
                      prompt(tools), response(call("a", "broken"), call("b", "sibling"))))
          .isInstanceOf(ToolExecutionException.class)
          .hasMessage("fatal for this app");
      assertThat(siblingRan.getCount()).isZero();
    }
  }

  @Test
  void noToolCallInTheResponse_isRejectedLikeSpringAisDefaultManager() {
    try (ParallaxToolCallingManager manager = ParallaxToolCallingManager.builder().build()) {
      ChatResponse plain =
          new ChatResponse(
              List.of(new Generation(AssistantMessage.builder().content("hi").build())));
      assertThatThrownBy(() -> manager.executeToolCalls(prompt(List.of()), plain))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("No tool call requested by the chat model");
    }
  }

  private static List<Observation> ancestors(Observation.Context context) {
    List<Observation> ancestors = new java.util.ArrayList<>();
    for (var parent = context.getParentObservation();
        parent != null;
        parent = parent.getContextView().getParentObservation()) {
      ancestors.add((Observation) parent);
    }
    return ancestors;
  }

  @Test
  void toolCallLimits_likeSpringAis_answerTheCallOverTheLimit_orThrowAfterTheCallsBefore() {
    AtomicInteger runs = new AtomicInteger();
    List<ToolCallback> tools = List.of(tool("search", args -> "hit " + runs.incrementAndGet()));
    ChatResponse threeSearches =
        response(call("a", "search"), call("b", "search"), call("c", "search"));
    try (ParallaxToolCallingManager answering =
        ParallaxToolCallingManager.builder()
            .maxCallsPerTool(2)
            .onLimitExceeded(ToolCallLimitBehavior.RETURN_ERROR_RESPONSE)
            .build()) {
      ToolResponseMessage responses =
          (ToolResponseMessage)
              answering.executeToolCalls(prompt(tools), threeSearches).conversationHistory().get(2);
      assertThat(responses.getResponses())
          .extracting(ToolResponseMessage.ToolResponse::responseData)
          .hasSize(3)
          .contains(
              "Tool call limit (2) exceeded for tool 'search'. No further calls to this tool are allowed in this turn.",
              org.assertj.core.data.Index.atIndex(2));
      assertThat(runs).hasValue(2);
    }
    runs.set(0);
    try (ParallaxToolCallingManager throwing =
        ParallaxToolCallingManager.builder().maxTotalToolCalls(2).build()) {
      assertThatThrownBy(() -> throwing.executeToolCalls(prompt(tools), threeSearches))
          .isInstanceOfSatisfying(
              ToolCallLimitExceededException.class,
              e -> {
                assertThat(e.getLimit()).isEqualTo(2);
                List<org.springframework.ai.chat.messages.Message> history =
                    e.getPartialToolExecutionResult().conversationHistory();
                assertThat(((ToolResponseMessage) history.get(history.size() - 1)).getResponses())
                    .extracting(ToolResponseMessage.ToolResponse::id)
                    .containsExactly("a", "b", "c");
              });
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void aToolNameParallaxCannotUse_stillGetsAnAnswerNamingIt() {
    // Parallax tool names are 1-64 of [A-Za-z0-9_.-]; a model may invent anything
    String invented = "get weather/now: " + "x".repeat(80);
    try (ParallaxToolCallingManager manager = ParallaxToolCallingManager.builder().build()) {
      ToolResponseMessage responses =
          (ToolResponseMessage)
              manager
                  .executeToolCalls(
                      prompt(List.of(tool("ok", args -> "fine"))),
                      response(call("a", invented), call("b", "ok")))
                  .conversationHistory()
                  .get(2);
      assertThat(responses.getResponses())
          .extracting(
              ToolResponseMessage.ToolResponse::name,
              ToolResponseMessage.ToolResponse::responseData)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  invented,
                  "Error: there is no tool named '" + invented + "'. Available tools: ok."),
              org.assertj.core.groups.Tuple.tuple("ok", "fine"));
    }
  }

  @Test
  void aResolverThatThrows_failsOnlyTheCallItWasResolving() {
    ToolCallbackResolver broken =
        name -> {
          throw new IllegalStateException("registry offline");
        };
    List<ToolCallback> tools = List.of(tool("local", args -> "here"));
    try (ParallaxToolCallingManager manager =
        ParallaxToolCallingManager.builder()
            .toolCallbackResolver(broken)
            .resolutionFallbackEnabled(true)
            .build()) {
      ToolResponseMessage responses =
          (ToolResponseMessage)
              manager
                  .executeToolCalls(
                      prompt(tools), response(call("a", "local"), call("b", "remote")))
                  .conversationHistory()
                  .get(2);
      assertThat(responses.getResponses())
          .extracting(ToolResponseMessage.ToolResponse::responseData)
          .containsExactly(
              "here",
              "Error: tool 'remote' could not be resolved: IllegalStateException: registry offline");
      assertThat(manager.resolverFailures()).isEqualTo(1);
    }
  }

  @Test
  void manyThreads_manyMessages_everyCallAnsweredOnce_inOrder() throws Exception {
    // stress: 16 threads x 25 messages x 12 calls through one manager
    AtomicInteger runs = new AtomicInteger();
    List<ToolCallback> tools =
        List.of(
            tool(
                "echo",
                args -> {
                  runs.incrementAndGet();
                  return args;
                }));
    int threads = 16;
    int messages = 25;
    int callsPerMessage = 12;
    try (ParallaxToolCallingManager manager =
            ParallaxToolCallingManager.builder()
                .executor(ToolExecutor.builder().maxConcurrency(4).build())
                .build();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int m = 0; m < messages; m++) {
                    String tag = thread + "-" + m;
                    AssistantMessage.ToolCall[] calls =
                        IntStream.range(0, callsPerMessage)
                            .mapToObj(
                                i ->
                                    call(
                                        tag + "-" + i, "echo", "{\"i\":\"" + tag + "-" + i + "\"}"))
                            .toArray(AssistantMessage.ToolCall[]::new);
                    ToolResponseMessage responses =
                        (ToolResponseMessage)
                            manager
                                .executeToolCalls(prompt(tools), response(calls))
                                .conversationHistory()
                                .get(2);
                    assertThat(responses.getResponses())
                        .extracting(ToolResponseMessage.ToolResponse::responseData)
                        .containsExactlyElementsOf(
                            IntStream.range(0, callsPerMessage)
                                .mapToObj(i -> "{\"i\":\"" + tag + "-" + i + "\"}")
                                .toList());
                  }
                  return null;
                }));
      }
      for (var future : futures) {
        future.get();
      }
      manager.executor().close();
    }
    assertThat(runs).hasValue(threads * messages * callsPerMessage);
  }

  static Prompt prompt(List<ToolCallback> tools) {
    return Prompt.builder()
        .messages(List.of(new UserMessage("go")))
        .chatOptions(ToolCallingChatOptions.builder().toolCallbacks(tools).build())
        .build();
  }

  static ChatResponse response(AssistantMessage.ToolCall... calls) {
    return new ChatResponse(
        List.of(
            new Generation(
                AssistantMessage.builder().content("").toolCalls(List.of(calls)).build())));
  }
}
