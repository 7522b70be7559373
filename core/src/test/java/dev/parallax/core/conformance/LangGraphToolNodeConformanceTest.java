package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.FailsafeDelayableRetryPolicyConformanceTest.causesAndSuppressed;
import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LangGraph's ToolNode tests, translated: what a tool raises becomes that call's result (LangGraph:
 * an error {@code ToolMessage}), its siblings keep theirs, results keep the order and the ids of
 * the calls; a call the registry cannot make (unknown tool, arguments that do not fit) is an error
 * naming what is wrong, and the tool is never invoked with them.
 *
 * <p>Source: langchain-ai/langgraph, {@code libs/prebuilt/tests/test_tool_node.py}. LangGraph turns
 * errors into messages only when {@code handle_tool_errors} says so and raises otherwise; Parallax
 * never raises a tool's error, and its closest "raise" is {@code FailureMode.FAIL_FAST}, which
 * stops the run but still reports the error as the call's result.
 *
 * <p>Translated: {@code test_tool_node}, {@code test_tool_node_tool_call_input}, {@code
 * test_tool_node_error_handling} (its argument validation part is {@code
 * test_tool_node_error_handling_default_invocation} below, issue 11 item 14), {@code
 * test_tool_node_handle_tool_errors_false}, {@code test_tool_node_incorrect_tool_name}, {@code
 * test_tool_node_ensure_utf8}; and, for arguments computed from dependencies ({@code
 * ToolCall.derived}), the ToolInvocationError rule that arguments which cannot be made fail the
 * call before the tool is invoked (issue 11 item 7). Skipped: per-tool and callable error handlers,
 * {@code GraphBubbleUp} interrupts, commands, {@code Send}, state and store injection, stream
 * writers and runtime injection (LangGraph graph machinery with no counterpart in an executor).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LangGraphToolNodeConformanceTest {

  /** The arguments of LangGraph's {@code tool1(some_val: int, some_other_val: str)}. */
  record Args(int some_val, String some_other_val) {}

  private static Tool<Args, String> tool1() {
    return Tools.named("tool1")
        .description("Tool 1 docstring.")
        .input(Args.class)
        .function(
            (args, ctx) -> {
              if (args.some_val() == 0) {
                throw new IllegalArgumentException("Test error");
              }
              return args.some_val() + " - " + args.some_other_val();
            });
  }

  private static Tool<Args, String> tool2() {
    return Tools.named("tool2")
        .input(Args.class)
        .function((args, ctx) -> "tool2: " + args.some_val() + " - " + args.some_other_val());
  }

  /** LangGraph's {@code ToolException}. */
  static final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolException(String message) {
      super(message);
    }
  }

  /**
   * test_tool_node and test_tool_node_ensure_utf8: a result carries its call id, the tool's name
   * and the tool's value as returned: a string, a list of maps, non-ASCII text.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void test_tool_node_resultCarriesCallIdToolAndValueAsReturned(Mode mode) throws Exception {
    List<Map<String, Object>> listOfDicts =
        List.of(Map.of("key_1", 2, "key_2", "foo"), Map.of("key_1", "bar", "key_2", "baz"));
    String utf8 = "こんにちは – naïve ✓";
    try (Harness h = Harness.realTime(b -> b)) {
      Probe probe =
          h.probe(
              "tool3",
              (in, attempt) ->
                  Probe.returns(
                      switch ((Integer) in) {
                        case 0 -> "1 - foo";
                        case 1 -> listOfDicts;
                        default -> utf8;
                      }));

      RunResult run = h.run(mode, calls(probe, 0, 1, 2));

      assertThat(run.results())
          .extracting(CallResult::callId)
          .containsExactly("tool3-0", "tool3-1", "tool3-2");
      assertThat(run.results()).extracting(CallResult::tool).containsOnly("tool3");
      assertThat(run.get("tool3-0").value()).isEqualTo("1 - foo");
      assertThat(run.get("tool3-1").value()).isSameAs(listOfDicts);
      assertThat(run.get("tool3-2").value()).isEqualTo(utf8);
    }
  }

  /**
   * test_tool_node_tool_call_input: calls made from an LLM's tool calls (id, name, JSON arguments)
   * come back in order, each with the LLM's id. Not a batch: the ids are the LLM's.
   */
  @ParameterizedTest
  @EnumSource(value = Mode.class, mode = EnumSource.Mode.MATCH_NONE, names = "BATCH_.*")
  void test_tool_node_tool_call_input_llmCallsKeepTheirIdsAndOrder(Mode mode) throws Exception {
    ToolRegistry registry = ToolRegistry.of(tool1(), tool2());
    List<ToolCall<?, ?>> calls =
        List.of(
            registry.call("some 0", "tool1", "{\"some_val\": 1, \"some_other_val\": \"foo\"}"),
            registry.call("some 1", "tool1", "{\"some_val\": 2, \"some_other_val\": \"bar\"}"),
            registry.call("some 2", "tool2", "{\"some_val\": 3, \"some_other_val\": \"baz\"}"));
    try (Harness h = Harness.realTime(b -> b)) {
      RunResult run = h.run(mode, calls);

      assertThat(run.results())
          .extracting(CallResult::callId, CallResult::tool, CallResult::value)
          .containsExactly(
              tuple("some 0", "tool1", "1 - foo"),
              tuple("some 1", "tool1", "2 - bar"),
              tuple("some 2", "tool2", "tool2: 3 - baz"));
    }
  }

  /**
   * test_tool_node_tool_call_input (unknown tool) and test_tool_node_incorrect_tool_name: a call to
   * a tool that does not exist is refused, naming it and the tools that do.
   */
  @Test
  void test_tool_node_incorrect_tool_name_namesTheUnknownAndTheKnownTools() {
    ToolRegistry registry = ToolRegistry.of(tool1(), tool2());

    assertThatThrownBy(
            () -> registry.call("some 0", "tool3", "{\"some_val\": 1, \"some_other_val\": \"x\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool3")
        .hasMessageContaining("[tool1, tool2]");
  }

  /**
   * test_tool_node_error_handling: every tool error becomes its own call's result, with its own id
   * and in its place; the sibling that succeeded keeps its value.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void test_tool_node_error_handling_errorsBecomeResults_siblingsAndOrderKept(Mode mode)
      throws Exception {
    IllegalArgumentException valueError = new IllegalArgumentException("Test error");
    ToolException toolException = new ToolException("Test error");
    try (Harness h = Harness.realTime(b -> b)) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  switch ((Integer) in) {
                    case 0 -> Probe.fails(valueError);
                    case 1 -> Probe.fails(toolException);
                    default -> Probe.returns("fine");
                  });

      RunResult run =
          h.run(mode, calls(probe, 0, 1, 2), plan -> plan.withFailureMode(FailureMode.CONTINUE));

      assertThat(run.results())
          .extracting(CallResult::callId, CallResult::status)
          .containsExactly(
              tuple("probe-0", CallStatus.FAILED),
              tuple("probe-1", CallStatus.FAILED),
              tuple("probe-2", CallStatus.SUCCEEDED));
      assertThat(run.get("probe-0").error()).isSameAs(valueError);
      assertThat(run.get("probe-1").error()).isSameAs(toolException);
      assertThat(run.get("probe-2").value()).isEqualTo("fine");
    }
  }

  /**
   * test_tool_node_handle_tool_errors_false: the strict mode. With {@code FAIL_FAST} the first
   * error stops the run: siblings not finished are cancelled (and interrupted if running), yet the
   * error is still the failing call's result, not thrown at the caller.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void test_tool_node_handle_tool_errors_false_failFastStopsTheRun_errorStillAResult(Mode mode)
      throws Exception {
    IllegalArgumentException valueError = new IllegalArgumentException("Test error");
    try (Harness h = Harness.realTime(b -> b)) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) -> (Integer) in == 0 ? Probe.fails(valueError) : Probe.blocks());

      RunResult run =
          h.run(mode, calls(probe, 0, 1), plan -> plan.withFailureMode(FailureMode.FAIL_FAST));

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.FAILED);
      assertThat(run.get("probe-0").error()).isSameAs(valueError);
      assertThat(run.get("probe-1").status()).isEqualTo(CallStatus.CANCELLED);
    }
  }

  /**
   * test_tool_node_error_handling_default_invocation and the validation part of
   * test_tool_node_error_handling (issue 11 item 14): arguments that do not fit the tool — unknown
   * properties, a missing one — give an error naming the property, so that an agent can hand it
   * back to the model; the tool is never invoked with them. The error may come when the call is
   * made (the registry refuses it) or as the call's {@code FAILED} result.
   */
  @Test
  void test_tool_node_error_handling_default_invocation_badArgumentsNameTheProperty()
      throws Exception {
    ToolRegistry registry = ToolRegistry.of(tool1());

    assertThat(argumentError(registry, "some id", "{\"invalid\": 0, \"args\": \"foo\"}"))
        .as("unknown properties, both real ones missing")
        .containsAnyOf("invalid", "some_val");
    assertThat(argumentError(registry, "another id", "{\"some_val\": 0}"))
        .as("a missing property")
        .contains("some_other_val");
  }

  /**
   * The message of the error a bad call gets: from the registry when it refuses to make the call,
   * else from the call's result, which must then be {@code FAILED} without the tool having run.
   */
  private static String argumentError(ToolRegistry registry, String id, String json)
      throws Exception {
    ToolCall<?, ?> call;
    try {
      call = registry.call(id, "tool1", json);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).contains(id).contains("tool1");
      return refused.getMessage();
    }
    try (Harness h = Harness.realTime(b -> b)) {
      RunResult run = h.run(Mode.PARALLEL_SYNC, List.of(call));
      CallResult<?> result = run.get(id);
      assertThat(result.status())
          .as("call %s with arguments %s was accepted and ran: %s", id, json, result)
          .isEqualTo(CallStatus.FAILED);
      assertThat(result.attempts()).as("the tool is never invoked").isZero();
      return String.valueOf(result.error().getMessage());
    }
  }

  /**
   * The ToolInvocationError rule of test_tool_node_error_handling for arguments computed from
   * dependencies (issue 11 item 7): when a derived-input function throws, the call fails naming
   * itself, carrying the function's exception; no tool attempt starts, none is retried, and no
   * attempt event fires.
   */
  @ParameterizedTest
  @EnumSource(Mode.Invocation.class)
  void test_tool_node_error_handling_derivedArgumentsFail_toolNeverInvokedNorRetried(
      Mode.Invocation invocation) throws Exception {
    IllegalStateException broken = new IllegalStateException("cannot build the arguments");
    try (Harness h =
        Harness.realTime(
            b ->
                b.retryPolicy(
                    RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build()))) {
      Probe source = h.probe("source", (in, attempt) -> Probe.returns("a value"));
      Probe target = h.probe("target", (in, attempt) -> Probe.returns("never"));
      CallGraph graph =
          CallGraph.builder()
              .add(ToolCall.of("a", source, "x"))
              .add(
                  ToolCall.<Object, Object>derived(
                      "b",
                      target,
                      deps -> {
                        throw broken;
                      }),
                  "a")
              .build();

      RunResult run = h.startGraph(invocation, graph).result();

      CallResult<?> result = run.get("b");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.attempts()).as("no tool attempt").isZero();
      assertThat(result.startedAt()).isNull();
      assertThat(result.error()).hasMessageContaining("b");
      assertThat(causesAndSuppressed(result.error())).contains(broken);
      assertThat(target.starts()).isZero();
      assertThat(h.events.events())
          .noneMatch(e -> e.matches("(started|attempt-failed|retry)#\\d+ b.*"));
    }
  }
}
