package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input is rejected with a message naming the problem, before any tool runs. */
class ValidationTest {

  private final AtomicInteger invocations = new AtomicInteger();
  private final Tool<Object, String> tool =
      Tools.named("echo")
          .input(Object.class)
          .function((in, ctx) -> "ran " + invocations.incrementAndGet());

  @AfterEach
  void noToolRan() {
    assertThat(invocations).as("no tool may run for a rejected plan").hasValue(0);
  }

  @Test
  void nullCallId_isRejected() {
    assertThatThrownBy(() -> ToolCall.of(null, tool, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("call id must not be null")
        .hasMessageContaining("echo");
  }

  @Test
  void nullCall_inList_isRejectedWithItsPosition() {
    assertThatThrownBy(
            () -> ExecutionPlan.parallel(Arrays.asList(ToolCall.of("a", tool, "x"), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position 1");
  }

  @Test
  void duplicateCallId_isRejected() {
    List<ToolCall<?, ?>> calls = List.of(ToolCall.of("a", tool, "x"), ToolCall.of("a", tool, "y"));
    assertThatThrownBy(() -> ExecutionPlan.parallel(calls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate call id 'a'");
    assertThatThrownBy(() -> ExecutionPlan.sequential(calls))
        .isInstanceOf(IllegalArgumentException.class);
    CallGraph.Builder graph = CallGraph.builder().add(calls.get(0)).add(calls.get(1));
    assertThatThrownBy(graph::build).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownToolName_isRejectedNamingTheKnownTools() {
    ToolRegistry registry = ToolRegistry.of(tool);
    assertThatThrownBy(() -> registry.call("c1", "serach", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown tool 'serach'")
        .hasMessageContaining("[echo]");
  }

  @Test
  void dependencyOnUnknownId_isRejected() {
    CallGraph.Builder graph =
        CallGraph.builder()
            .add(ToolCall.of("a", tool, "x"))
            .add(ToolCall.of("b", tool, "y"), "zzz");
    assertThatThrownBy(graph::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("call 'b' depends on unknown call 'zzz'");
  }

  @Test
  void cycle_isRejectedListingTheIdsOnIt() {
    CallGraph.Builder graph =
        CallGraph.builder()
            .add(ToolCall.of("start", tool, "x"))
            .add(ToolCall.of("a", tool, "x"), "start", "c")
            .add(ToolCall.of("b", tool, "x"), "a")
            .add(ToolCall.of("c", tool, "x"), "b")
            .add(ToolCall.of("unrelated", tool, "x"));
    assertThatThrownBy(graph::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dependency cycle: a -> c -> b -> a");
  }

  @Test
  void cycleOf100kCalls_isReportedBounded_notAMillionCharacters() {
    // the bug: the message listed the whole cycle, ~1M characters for a 100k ring
    int n = 100_000;
    CallGraph.Builder graph = CallGraph.builder();
    for (int i = 0; i < n; i++) {
      graph.add(ToolCall.of("c" + i, tool, "x"), "c" + ((i + 1) % n));
    }
    assertThatThrownBy(graph::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "dependency cycle: 100000 calls: c0 -> c1 -> c2 -> c3 -> c4 -> … 99991 calls … ->"
                + " c99996 -> c99997 -> c99998 -> c99999 -> c0");
  }

  @Test
  void selfDependency_isACycle() {
    CallGraph.Builder graph = CallGraph.builder().add(ToolCall.of("a", tool, "x"), "a");
    assertThatThrownBy(graph::build).hasMessage("dependency cycle: a -> a");
  }

  @Test
  void concurrencyBelowOne_isRejected() {
    assertThatThrownBy(() -> ToolExecutor.builder().maxConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrency must be >= 1, was 0");
    assertThatThrownBy(() -> ToolExecutor.builder().toolConcurrency("echo", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("echo");
    ExecutionPlan plan = ExecutionPlan.parallel(List.of(ToolCall.of("a", tool, "x")));
    assertThatThrownBy(() -> plan.withMaxConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeOrZeroTimeouts_areRejected() {
    assertThatThrownBy(() -> ToolExecutor.builder().attemptTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attemptTimeout must be positive, was PT-0.001S");
    assertThatThrownBy(() -> ToolExecutor.builder().runDeadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    ExecutionPlan plan = ExecutionPlan.parallel(List.of(ToolCall.of("a", tool, "x")));
    assertThatThrownBy(() -> plan.withDeadline(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void conflictingOptions_failWithIllegalState() {
    assertThatThrownBy(
            () ->
                ToolExecutor.builder()
                    .toolConcurrency("echo", 2)
                    .toolPolicy("echo", ToolPolicy.builder().maxConcurrency(3).build())
                    .build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                RetryPolicy.builder()
                    .initialDelay(Duration.ofSeconds(5))
                    .maxDelay(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class);
    ExecutionPlan sequential = ExecutionPlan.sequential(List.of(ToolCall.of("a", tool, "x")));
    assertThatThrownBy(() -> sequential.withMaxConcurrency(4))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closedExecutor_refusesNewRuns() {
    ToolExecutor executor = ToolExecutor.builder().build();
    executor.close();
    assertThatThrownBy(() -> executor.executeParallel(List.of(ToolCall.of("a", tool, "x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
