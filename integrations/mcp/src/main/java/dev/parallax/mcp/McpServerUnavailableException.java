package dev.parallax.mcp;

/**
 * The error of a call that could not get an answer from its MCP server: the server process exited
 * (before or while the call ran), the session was closed, or the SDK could not reach the server.
 * The message says which, and includes the last lines the server wrote to its standard error when
 * they are known. A call failing with it ends {@code FAILED}; it is not retried unless the retry
 * policy says so.
 */
public final class McpServerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a message saying what happened. */
  public McpServerUnavailableException(String message) {
    super(message);
  }

  /** Creates the error with a message saying what happened and the underlying failure. */
  public McpServerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
