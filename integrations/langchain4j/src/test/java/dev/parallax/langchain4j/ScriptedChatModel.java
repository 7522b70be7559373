package dev.parallax.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chat model with a script: to the user's message it answers with the given tool calls (all in
 * one AI message), and once it sees their results it answers with a text quoting every result in
 * the order the results came, separated by {@code " | "}.
 */
public final class ScriptedChatModel implements ChatModel {

  private final List<ToolExecutionRequest> calls;

  /** The tool results of each request that had any, as the model received them. */
  final List<List<ToolExecutionResultMessage>> seenResults = new CopyOnWriteArrayList<>();

  public ScriptedChatModel(List<ToolExecutionRequest> calls) {
    this.calls = List.copyOf(calls);
  }

  public static ToolExecutionRequest call(String id, String tool, String arguments) {
    return ToolExecutionRequest.builder().id(id).name(tool).arguments(arguments).build();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    return respond(request.messages(), calls, seenResults);
  }

  static ChatResponse respond(
      List<ChatMessage> messages,
      List<ToolExecutionRequest> calls,
      List<List<ToolExecutionResultMessage>> seenResults) {
    List<ToolExecutionResultMessage> results = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message instanceof ToolExecutionResultMessage result) {
        results.add(result);
      }
    }
    if (results.isEmpty()) {
      return ChatResponse.builder().aiMessage(AiMessage.from(calls)).build();
    }
    seenResults.add(List.copyOf(results));
    List<String> texts = new ArrayList<>();
    for (ToolExecutionResultMessage result : results) {
      texts.add(result.text());
    }
    return ChatResponse.builder().aiMessage(AiMessage.from(String.join(" | ", texts))).build();
  }
}
