package dev.parallax.springai.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A chat model that follows a script instead of calling an LLM: asked a question, it answers with
 * the tool calls it was given, all in one assistant message (parallel tool calls); given the tool
 * responses, it answers with a text quoting every response, in the order received: {@code
 * "name(id)=text; name(id)=text"}. Thread-safe; records the prompts it received.
 */
public final class ScriptedChatModel implements ChatModel {

  private final List<AssistantMessage.ToolCall> toolCalls;
  private final List<Prompt> prompts = new CopyOnWriteArrayList<>();

  /** A model that asks for these tool calls. */
  public ScriptedChatModel(List<AssistantMessage.ToolCall> toolCalls) {
    this.toolCalls = List.copyOf(toolCalls);
  }

  /** A tool call with arguments {@code {}} of type {@code function}. */
  public static AssistantMessage.ToolCall call(String id, String tool) {
    return call(id, tool, "{}");
  }

  /** A tool call of type {@code function}. */
  public static AssistantMessage.ToolCall call(String id, String tool, String arguments) {
    return new AssistantMessage.ToolCall(id, "function", tool, arguments);
  }

  @Override
  public ChatOptions getOptions() {
    return ToolCallingChatOptions.builder().build();
  }

  @Override
  public ChatResponse call(Prompt prompt) {
    prompts.add(prompt);
    List<Message> messages = prompt.getInstructions();
    Message last = messages.get(messages.size() - 1);
    AssistantMessage answer;
    if (last instanceof ToolResponseMessage responses) {
      answer =
          AssistantMessage.builder()
              .content(
                  responses.getResponses().stream()
                      .map(r -> r.name() + "(" + r.id() + ")=" + r.responseData())
                      .collect(Collectors.joining("; ")))
              .build();
    } else {
      answer = AssistantMessage.builder().content("").toolCalls(toolCalls).build();
    }
    return new ChatResponse(List.of(new Generation(answer)));
  }

  /** The prompts received so far, in order. */
  public List<Prompt> prompts() {
    return new ArrayList<>(prompts);
  }

  /** The tool responses of the last prompt that carried any. */
  public List<ToolResponseMessage.ToolResponse> lastToolResponses() {
    for (int i = prompts.size() - 1; i >= 0; i--) {
      List<Message> messages = prompts.get(i).getInstructions();
      if (messages.get(messages.size() - 1) instanceof ToolResponseMessage responses) {
        return responses.getResponses();
      }
    }
    throw new AssertionError("no prompt carried tool responses: " + prompts);
  }
}
