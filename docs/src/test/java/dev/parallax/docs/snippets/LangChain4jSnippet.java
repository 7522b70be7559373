package dev.parallax.docs.snippets;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.service.AiServices;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.langchain4j.ParallaxLangChain4j;
import dev.parallax.langchain4j.ParallaxTool;
import java.time.Duration;

/** The README's LangChain4j quick start (compiled; the module's own example runs it). */
public class LangChain4jSnippet extends Fixtures {

  // README:begin
  interface Assistant {
    String chat(String message);
  }

  static class WeatherTools {
    @Tool("Current weather of a city")
    @ParallaxTool(idempotent = true, cacheable = true) // may be retried and cached
    public String weather(@P("the city") String city) {
      return "sunny in " + city;
    }
  }

  String ask(String question) {
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(8)
            .attemptTimeout(Duration.ofSeconds(30))
            .retryPolicy(RetryPolicy.ofDefaults())
            .build()) {
      ParallaxLangChain4j parallax =
          ParallaxLangChain4j.builder(executor).tools(new WeatherTools()).build();
      Assistant assistant =
          parallax // the one line: the tool calls of each model turn become one Parallax run
              .install(AiServices.builder(Assistant.class).chatModel(model))
              .build();
      return assistant.chat(question);
    }
  }
  // README:end
}
