package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunReport;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A null where the public API needs a value fails at once with an exception naming the argument
 * (issue 11, item 16: {@code executeBatch(tool, null)} and {@code withDeadline(null)} threw NPEs
 * that named nothing).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NullArgumentsTest {

  private final Tool<String, String> echo =
      Tools.named("echo").input(String.class).function((in, ctx) -> in);

  private static void npeNaming(String name, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(NullPointerException.class).hasMessage(name);
  }

  @Test
  void executeBatch_withNullInputs_namesTheArgument() {
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      npeNaming("inputs", () -> executor.executeBatch(echo, null));
      npeNaming("inputs", () -> executor.executeBatchAsync(echo, null));
    }
    npeNaming("inputs", () -> ExecutionPlan.batch(echo, null));
    npeNaming("tool", () -> ExecutionPlan.batch(null, List.of("a")));
    assertThatThrownBy(() -> ExecutionPlan.batch(echo, Arrays.asList("a", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("echo-1");
  }

  @Test
  void withDeadline_null_namesTheArgument() {
    ExecutionPlan plan = ExecutionPlan.parallel(List.of(ToolCall.of("a", echo, "x")));
    npeNaming("deadline", () -> plan.withDeadline(null));
    npeNaming("failureMode", () -> plan.withFailureMode(null));
  }

  @Test
  void plansAndGraphs_withNulls_nameTheArgument() {
    ToolCall<String, String> call = ToolCall.of("a", echo, "x");
    npeNaming("graph", () -> ExecutionPlan.graph(null));
    npeNaming("calls", () -> ExecutionPlan.parallel(null));
    npeNaming("dependsOn", () -> CallGraph.builder().add(call, (List<String>) null));
    npeNaming("dependsOn", () -> CallGraph.builder().add(call, (String[]) null));
    npeNaming("dependsOn", () -> new CallGraph.Node(call, null));
    assertThatThrownBy(() -> CallGraph.builder().add(call, Arrays.asList("b", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("call 'a' has a null dependency id");
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      npeNaming("graph", () -> executor.executeGraph(null));
      npeNaming("plan", () -> executor.execute(null));
    }
  }

  @Test
  void resultsAndPolicies_withNulls_nameTheArgument() {
    RunResult run =
        new RunResult("r", List.of(), RunReport.of(Instant.EPOCH, Instant.EPOCH, List.of()));
    npeNaming("callId", () -> run.get((String) null));
    npeNaming("call", () -> run.get((ToolCall<?, ?>) null));
    npeNaming("status", () -> run.report().count(null));
    npeNaming("results", () -> RunReport.of(Instant.EPOCH, Instant.EPOCH, null));
    npeNaming("initialDelay", () -> RetryPolicy.builder().initialDelay(null));
    npeNaming("maxDelay", () -> RetryPolicy.builder().maxDelay(null));
    npeNaming(
        "outcome", () -> AttemptSample.of("t", Duration.ZERO, (AttemptSample.Outcome) null, 1));
    VirtualTime time = new VirtualTime();
    npeNaming("delay", () -> time.schedule(null, () -> {}));
    npeNaming("task", () -> time.schedule(Duration.ZERO, null));
    npeNaming("delta", () -> time.advance(null));
    npeNaming("capabilities", () -> Tools.named("t").capabilities((String[]) null));
    npeNaming("capabilities[1]", () -> Tools.named("t").capabilities("a", null));
  }
}
