package dev.parallax.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The streaming twin of {@link ScriptedChatModel}: it streams its tool calls one by one on a thread
 * of its own ({@code onCompleteToolCall} for each), calling {@code betweenCalls} after each one has
 * been handed over and before the next is streamed — a test can wait there for the call to have
 * started — and ends the message with {@code onCompleteResponse}.
 */
final class ScriptedStreamingChatModel implements StreamingChatModel {

  private final List<ToolExecutionRequest> calls;
  private final IntConsumer betweenCalls;
  final List<List<ToolExecutionResultMessage>> seenResults = new CopyOnWriteArrayList<>();

  ScriptedStreamingChatModel(List<ToolExecutionRequest> calls, IntConsumer betweenCalls) {
    this.calls = List.copyOf(calls);
    this.betweenCalls = betweenCalls;
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    Thread.ofVirtual()
        .name("scripted-stream")
        .start(
            () -> {
              try {
                ChatResponse response =
                    ScriptedChatModel.respond(request.messages(), calls, seenResults);
                AiMessage message = response.aiMessage();
                if (message.hasToolExecutionRequests()) {
                  List<ToolExecutionRequest> requests = message.toolExecutionRequests();
                  for (int i = 0; i < requests.size(); i++) {
                    handler.onCompleteToolCall(new CompleteToolCall(i, requests.get(i)));
                    betweenCalls.accept(i);
                  }
                } else {
                  handler.onPartialResponse(message.text());
                }
                handler.onCompleteResponse(response);
              } catch (Throwable e) {
                handler.onError(e);
              }
            });
  }
}
