package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.tool.InvalidArgumentsException;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression: in a sequence, a call whose JSON arguments were rejected failed as soon as the run
 * began, and stopping at that failure cancelled the calls ahead of it, which never ran (reported by
 * the MCP demo: "0 attempts, run took 0.0ms"). It must fail in its turn.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SequentialRejectedArgumentsTest {

  record City(String city) {}

  private final Tool<City, String> weather =
      Tools.named("weather").input(City.class).function((c, ctx) -> "sun in " + c.city());
  private final ToolRegistry tools = ToolRegistry.of(weather);

  @Test
  void rejectedLastCall_failsInItsTurn_afterTheCallsAheadOfItRan() {
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      RunResult run =
          executor.executeSequential(
              List.of(
                  tools.call("a", "weather", "{\"city\": \"Lisbon\"}"),
                  tools.call("b", "weather", "{\"city\": \"Porto\"}"),
                  tools.call("c", "weather", "{\"town\": \"Faro\"}")));

      assertThat(run.get("a").value()).isEqualTo("sun in Lisbon");
      assertThat(run.get("b").value()).isEqualTo("sun in Porto");
      assertThat(run.get("c").status()).isEqualTo(CallStatus.FAILED);
      assertThat(run.get("c").error()).isInstanceOf(InvalidArgumentsException.class);
      assertThat(run.get("c").attempts()).isZero();
    }
  }

  @Test
  void rejectedCallInTheMiddle_stopsTheSequenceThere() {
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      RunResult run =
          executor.executeSequential(
              List.of(
                  tools.call("a", "weather", "{\"city\": \"Lisbon\"}"),
                  tools.call("b", "weather", "{\"town\": \"Porto\"}"),
                  tools.call("c", "weather", "{\"city\": \"Faro\"}")));

      assertThat(run.get("a").status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(run.get("b").error()).isInstanceOf(InvalidArgumentsException.class);
      assertThat(run.get("c").status().isSuccess()).isFalse();
      assertThat(run.get("c").attempts()).isZero();
    }
  }
}
