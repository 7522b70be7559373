package dev.parallax.mcp.internal;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.List;

/** The text of a tool result. Internal; may change at any time. */
public final class Texts {
  private Texts() {}

  /** The text contents of {@code result} joined by newlines; other contents as {@code [type]}. */
  public static String of(CallToolResult result) {
    List<String> parts = new ArrayList<>();
    if (result.content() != null) {
      for (McpSchema.Content content : result.content()) {
        parts.add(
            content instanceof McpSchema.TextContent text
                ? text.text()
                : "[" + content.type() + "]");
      }
    }
    return String.join("\n", parts);
  }
}
