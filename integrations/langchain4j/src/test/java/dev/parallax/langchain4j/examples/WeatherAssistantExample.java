package dev.parallax.langchain4j.examples;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.langchain4j.ParallaxLangChain4j;
import dev.parallax.langchain4j.ParallaxTool;
import dev.parallax.langchain4j.ScriptedChatModel;
import java.time.Duration;
import java.util.List;

/**
 * A LangChain4j assistant whose tool calls run through Parallax. Runnable: {@code main} uses a
 * scripted chat model that asks for the weather of three cities in one turn (no API key needed);
 * swap in any LangChain4j {@code ChatModel}. The block between the README markers is the quick
 * start of {@code integrations/langchain4j/README.md}, verbatim (checked by {@code
 * ReadmeSnippetTest}).
 */
public final class WeatherAssistantExample {

  /** The AI service. */
  public interface Assistant {
    String chat(String message);
  }

  /** Tools as LangChain4j {@code @Tool} methods; {@code @ParallaxTool} says what may be retried. */
  public static final class WeatherTools {
    @Tool("Current weather of a city")
    @ParallaxTool(idempotent = true, cacheable = true)
    public String weather(@P("the city") String city) throws InterruptedException {
      Thread.sleep(200); // a slow backend
      return "sunny in " + city;
    }
  }

  /** Runs one question with the given chat model and returns the answer. */
  public static String ask(ChatModel model, String question) {
    // README quick start: begin
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(8)
            .attemptTimeout(Duration.ofSeconds(30))
            .retryPolicy(RetryPolicy.ofDefaults())
            .build()) {
      ParallaxLangChain4j parallax =
          ParallaxLangChain4j.builder(executor).tools(new WeatherTools()).build();
      Assistant assistant =
          parallax.install(AiServices.builder(Assistant.class).chatModel(model)).build();
      return assistant.chat(question);
    }
    // README quick start: end
  }

  public static void main(String[] args) {
    ChatModel model =
        new ScriptedChatModel(
            List.of(
                ScriptedChatModel.call("1", "weather", "{\"arg0\":\"Lisbon\"}"),
                ScriptedChatModel.call("2", "weather", "{\"arg0\":\"Porto\"}"),
                ScriptedChatModel.call("3", "weather", "{\"arg0\":\"Faro\"}")));
    long start = System.nanoTime();
    String answer = ask(model, "Weather in Lisbon, Porto and Faro?");
    System.out.printf(
        "%s%n(three 200 ms tools in %d ms)%n", answer, (System.nanoTime() - start) / 1_000_000);
  }

  private WeatherAssistantExample() {}
}
