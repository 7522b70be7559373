package dev.parallax.springai.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * Spring AI 2.0.1's per-turn tool call limits, which its {@code ToolCallLimits} keeps
 * package-private: the same counting (tool responses since the last user message), the same
 * defaults (40 calls per tool, 150 in all) and the same messages. May change at any time.
 */
public final class ToolCallBudget {

  /** No limit. */
  public static final int UNLIMITED = -1;

  private final int defaultPerTool;
  private final Map<String, Integer> perTool;
  private final int total;

  /**
   * @param defaultPerTool calls per tool in a turn, or {@link #UNLIMITED}
   * @param perTool limits of single tools ({@link #UNLIMITED}: no limit for that tool)
   * @param total calls in a turn, or {@link #UNLIMITED}
   */
  public ToolCallBudget(int defaultPerTool, Map<String, Integer> perTool, int total) {
    this.defaultPerTool = defaultPerTool;
    this.perTool = Map.copyOf(perTool);
    this.total = total;
  }

  /** Counts the tool calls of the current turn so far, by tool name. */
  public static Map<String, Integer> priorCalls(List<Message> instructions) {
    int from = 0;
    for (int i = instructions.size() - 1; i >= 0; i--) {
      if (instructions.get(i) instanceof UserMessage) {
        from = i;
        break;
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    for (Message message : instructions.subList(from, instructions.size())) {
      if (message instanceof ToolResponseMessage responses) {
        for (ToolResponseMessage.ToolResponse response : responses.getResponses()) {
          counts.merge(response.name(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /**
   * Checks one more call (counts include it).
   *
   * @return the breach, or {@code null} if the call is within the limits
   */
  public @Nullable Breach check(String toolName, int toolCount, int totalCount) {
    int limit = perTool.getOrDefault(toolName, defaultPerTool);
    if (limit != UNLIMITED && toolCount > limit) {
      return new Breach(
          toolName,
          limit,
          "Tool call limit (%d) exceeded for tool '%s'. No further calls to this tool are allowed in this turn."
              .formatted(limit, toolName));
    }
    if (total != UNLIMITED && totalCount > total) {
      return new Breach(
          null,
          total,
          "Total tool call limit (%d) exceeded for this turn. No further tool calls are allowed."
              .formatted(total));
    }
    return null;
  }

  /**
   * A limit a call would exceed.
   *
   * @param toolName the tool whose limit it is, or {@code null} for the total
   * @param limit the limit
   * @param message the text the model reads
   */
  public record Breach(@Nullable String toolName, int limit, String message) {}
}
