package dev.parallax.mcp.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.mcp.McpToolErrorException;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;

/**
 * One tool of an MCP server as a Parallax tool: arguments as a JSON object, the server's {@link
 * CallToolResult} as output; {@code isError} becomes a {@link McpToolErrorException}. Immutable and
 * thread-safe. Internal; may change at any time.
 */
public final class McpTool implements Tool<JsonNode, CallToolResult> {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ToolSpec spec;
  private final String serverName;
  private final Session session;

  /** The tool {@code serverName} of {@code session}, known to Parallax by {@code spec}. */
  public McpTool(ToolSpec spec, String serverName, Session session) {
    this.spec = spec;
    this.serverName = serverName;
    this.session = session;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  /** The tool's name on the server. */
  public String serverName() {
    return serverName;
  }

  @Override
  public CallToolResult call(JsonNode input, ToolContext context) throws Exception {
    Map<String, Object> arguments =
        input == null || input.isNull() ? Map.of() : MAPPER.convertValue(input, MAP);
    CallToolResult result =
        session.call(
            McpSchema.CallToolRequest.builder(serverName)
                .arguments(arguments == null ? Map.of() : arguments)
                .build());
    if (Boolean.TRUE.equals(result.isError())) {
      throw new McpToolErrorException(serverName, Texts.of(result), result);
    }
    return result;
  }

  @Override
  public String toString() {
    return "McpTool[" + spec.name() + " -> " + session.describe() + " " + serverName + "]";
  }
}
