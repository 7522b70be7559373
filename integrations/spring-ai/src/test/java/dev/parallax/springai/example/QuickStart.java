package dev.parallax.springai.example;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.springai.ParallaxToolCallingManager;
import dev.parallax.springai.testing.ScriptedChatModel;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * The README's quick start, runnable: {@code ./mvnw -q -o -pl integrations/spring-ai exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.parallax.springai.example.QuickStart}. The chat
 * model is scripted (no LLM is called): it asks for the temperature of two cities in one message,
 * then quotes the tool results. {@code QuickStartTest} runs it and checks that the README shows the
 * code between the {@code README} markers verbatim.
 */
public final class QuickStart {

  private QuickStart() {}

  /** Tools declared the Spring AI way, as annotated methods. */
  public static class WeatherTools {
    /** Looks a temperature up (here: a table, after a pause standing for a remote API). */
    @Tool(description = "Current temperature in a city, in degrees Celsius")
    public String temperature(@ToolParam(description = "the city") String city)
        throws InterruptedException {
      Thread.sleep(200); // stands for a slow remote API
      return switch (city) {
        case "Lisbon" -> "21";
        case "Porto" -> "17";
        default -> "unknown";
      };
    }
  }

  /** Asks the question through a ChatClient whose tool calls run through Parallax. */
  public static String ask(ChatModel chatModel) {
    // README:spring-ai-quick-start:begin
    ToolExecutor executor =
        ToolExecutor.builder().maxConcurrency(8).attemptTimeout(Duration.ofSeconds(20)).build();
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
    String answer =
        chatClient
            .prompt("Is it warmer in Lisbon or in Porto?")
            .tools(new WeatherTools())
            .call()
            .content();
    // README:spring-ai-quick-start:end
    executor.close();
    return answer;
  }

  /** A chat model that asks for both temperatures in one message, then quotes the results. */
  public static ChatModel scriptedModel() {
    return new ScriptedChatModel(
        List.of(
            ScriptedChatModel.call("call-1", "temperature", "{\"city\":\"Lisbon\"}"),
            ScriptedChatModel.call("call-2", "temperature", "{\"city\":\"Porto\"}")));
  }

  /**
   * Runs the quick start twice (the first run of a JVM loads and links Spring AI's classes) and
   * prints the answer and how long the second turn took.
   */
  public static void main(String[] args) {
    ask(scriptedModel());
    long start = System.nanoTime();
    String answer = ask(scriptedModel());
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(answer);
    System.out.println(
        "two 200 ms tools in one turn through Parallax took "
            + millis
            + " ms (one after another they take 400 ms and more)");
  }
}
