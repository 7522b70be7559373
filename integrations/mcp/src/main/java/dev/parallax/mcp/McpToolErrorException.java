package dev.parallax.mcp;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/**
 * The error of a call whose MCP server answered with {@code isError: true}: the tool ran and
 * reported a failure. The message carries the server's text (for the model to read); {@link
 * #result()} is the whole answer. A call failing with it ends {@code FAILED}.
 */
public final class McpToolErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient CallToolResult result;
  private final String serverText;

  /**
   * Creates the error of tool {@code toolName}.
   *
   * @param toolName the server's name of the tool
   * @param serverText the text content of the server's answer
   * @param result the server's answer
   */
  public McpToolErrorException(String toolName, String serverText, CallToolResult result) {
    super(
        "MCP tool '"
            + toolName
            + "' reported an error: "
            + (serverText.isEmpty() ? "(no text)" : serverText));
    this.serverText = serverText;
    this.result = result;
  }

  /** The text the server sent with the error (its text contents joined by newlines). */
  public String serverText() {
    return serverText;
  }

  /** The server's answer. */
  public CallToolResult result() {
    return result;
  }
}
