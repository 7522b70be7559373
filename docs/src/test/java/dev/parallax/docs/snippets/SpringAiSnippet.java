package dev.parallax.docs.snippets;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.springai.ParallaxToolCallingManager;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** The README's Spring AI quick start without Boot (compiled; the module's own example runs it). */
public class SpringAiSnippet extends Fixtures {

  // README:begin
  static class WeatherTools {
    @Tool(description = "Current temperature in a city, in degrees Celsius")
    public String temperature(@ToolParam(description = "the city") String city) {
      return city.equals("Lisbon") ? "21" : "17";
    }
  }

  String ask() {
    try (ToolExecutor executor =
        ToolExecutor.builder().maxConcurrency(8).attemptTimeout(Duration.ofSeconds(20)).build()) {
      ParallaxToolCallingManager manager =
          ParallaxToolCallingManager.builder().executor(executor).idempotent("temperature").build();
      ChatClient chatClient =
          ChatClient.builder(
                  chatModel,
                  ObservationRegistry.NOOP,
                  null,
                  null,
                  ToolCallingAdvisor.builder().toolCallingManager(manager))
              .build();
      return chatClient
          .prompt("Is it warmer in Lisbon or in Porto?")
          .tools(new WeatherTools())
          .call()
          .content();
    }
  }
  // README:end
}
