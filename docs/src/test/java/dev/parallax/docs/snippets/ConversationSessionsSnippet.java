package dev.parallax.docs.snippets;

import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.springai.ParallaxToolCallingManager;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * Conversations as preload sessions with Spring AI (compiled; the Spring AI and LangChain4j
 * modules' {@code ConversationSessionsTest} run the same against scripted chat models).
 */
public class ConversationSessionsSnippet extends Fixtures {

  static class FlightTools {
    @Tool(description = "One flight")
    public String getFlight(@ToolParam(description = "the flight") String flight) {
      return "flight " + flight;
    }
  }

  String ask(ParallaxToolCallingManager manager, CaffeineResultCache cache, String conversationId) {
    // README:begin
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
            .prompt("When does my flight leave?")
            .tools(new FlightTools())
            // the conversation's id: its turns share one preload context
            .toolContext(Map.of(ChatMemory.CONVERSATION_ID, conversationId))
            .call()
            .content();
    // ... when the user closes the chat: end its preload session now, not after sessionIdle
    cache.endSession(conversationId);
    // README:end
    return answer;
  }
}
