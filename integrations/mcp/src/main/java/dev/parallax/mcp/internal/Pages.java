package dev.parallax.mcp.internal;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Follows {@code tools/list} pages. Internal; may change at any time. */
final class Pages {
  private Pages() {}

  static List<McpSchema.Tool> all(Function<@Nullable String, McpSchema.ListToolsResult> page) {
    List<McpSchema.Tool> tools = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String cursor = null;
    do {
      McpSchema.ListToolsResult result = page.apply(cursor);
      if (result.tools() != null) {
        tools.addAll(result.tools());
      }
      cursor = result.nextCursor();
      if (cursor != null && !seen.add(cursor)) {
        throw new IllegalStateException("the server repeated the tools/list cursor " + cursor);
      }
    } while (cursor != null && !cursor.isEmpty());
    return tools;
  }
}
