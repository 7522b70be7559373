package dev.parallax.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WaitingForCapacityTest {

  private final Tool<com.fasterxml.jackson.databind.JsonNode, String> quick =
      Tools.named("quick").function((in, ctx) -> "ok");
  private final ToolRegistry registry = ToolRegistry.of(quick);
  private final List<String> waited = new CopyOnWriteArrayList<>();

  private final ExecutionListener listener =
      new ExecutionListener() {
        @Override
        public void onWaitingForCapacity(PendingCall call) {
          waited.add(call.callId());
        }
      };

  @Test
  void moreReadyCallsThanSlots_oneWaitsAndIsTold() {
    try (ToolExecutor executor =
        ToolExecutor.builder().maxConcurrency(2).listener(listener).build()) {
      executor.executeParallel(
          List.of(
              registry.call("a", "quick", "{}"),
              registry.call("b", "quick", "{}"),
              registry.call("c", "quick", "{}")));
    }
    // a and b take the two slots as they become ready; c finds them taken
    assertThat(waited).containsExactly("c");
  }

  @Test
  void readyCallsThatFitTheSlots_nobodyIsTold() {
    try (ToolExecutor executor =
        ToolExecutor.builder().maxConcurrency(3).listener(listener).build()) {
      executor.executeParallel(
          List.of(registry.call("a", "quick", "{}"), registry.call("b", "quick", "{}")));
      executor.executeSequential(
          List.of(registry.call("x", "quick", "{}"), registry.call("y", "quick", "{}")));
    }
    assertThat(waited).isEmpty();
  }

  @Test
  void callRefusedByTheAdmissionControl_isTold() {
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .admissionControl(AdmissionControl.perToolLimits(Map.of("quick", 1)))
            .listener(listener)
            .build()) {
      executor.executeParallel(
          List.of(registry.call("a", "quick", "{}"), registry.call("b", "quick", "{}")));
    }
    assertThat(waited).contains("b");
  }
}
