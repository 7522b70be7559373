package dev.parallax.planner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.conformance.Harness;
import dev.parallax.core.conformance.Mode;
import dev.parallax.core.conformance.Probe;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.planner.fallback.ToolFallbacks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LangGraph's ToolNode rule that arguments which cannot be made fail the call before any tool is
 * invoked ({@code ToolInvocationError}), translated to calls whose input is derived from their
 * dependencies and whose tool has fallbacks: no tool ran, so no tool failed, and no circuit breaker
 * may count a failure (issue 11 item 7).
 *
 * <p>Source: langchain-ai/langgraph, {@code libs/prebuilt/tests/test_tool_node.py}, {@code
 * test_tool_node_error_handling} (its validation-error call). The other cases of this file are in
 * core's {@code dev.parallax.core.conformance.LangGraphToolNodeConformanceTest}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LangGraphToolNodeConformanceTest {

  /**
   * test_tool_node_error_handling, validation part: the derived-input function of a call with a
   * fallback chain throws; the call fails with no attempt on any tool of the chain, and neither
   * tool's circuit breaker records a failure.
   */
  @ParameterizedTest
  @EnumSource(Mode.Invocation.class)
  void test_tool_node_error_handling_derivedArgumentsFail_noToolRuns_noBreakerCountsAFailure(
      Mode.Invocation invocation) throws Exception {
    IllegalStateException broken = new IllegalStateException("cannot build the arguments");
    Probe source = new Probe("source", true, false, true, (in, attempt) -> Probe.returns("q"));
    Probe primary = new Probe("primary", true, false, true, (in, attempt) -> Probe.returns("a"));
    Probe fallback = new Probe("fallback", true, false, true, (in, attempt) -> Probe.returns("b"));
    // real time: the breakers read the system clock; zero retry delays need no clock moves
    ToolFallbacks fallbacks = ToolFallbacks.builder().chain(primary, fallback).build();
    RetryPolicy retries = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build();
    try (Harness h = Harness.realTime(b -> fallbacks.attachTo(b).retryPolicy(retries))) {
      h.register(source);
      h.register(primary);
      h.register(fallback);
      CallGraph graph =
          CallGraph.builder()
              .add(ToolCall.of("search", source, "x"))
              .add(
                  ToolCall.<Object, Object>derived(
                      "answer",
                      primary,
                      deps -> {
                        throw broken;
                      }),
                  "search")
              .build();

      RunResult run = h.startGraph(invocation, graph).result();

      CallResult<?> result = run.get("answer");
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.attempts()).as("no tool attempt").isZero();
      assertThat(result.error()).hasMessageContaining("answer");
      assertThat(primary.starts() + fallback.starts()).isZero();
      for (String tool : new String[] {"primary", "fallback"}) {
        assertThat(fallbacks.health(tool).failedCalls())
            .as("failures recorded by the breaker of %s, though no tool ran", tool)
            .isZero();
      }
    }
  }
}
