package dev.parallax.mcp.internal;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;

/** One MCP client session as the tools use it. Thread-safe. Internal; may change at any time. */
public interface Session {

  /** A name for messages: the server's command line or its reported name. */
  String describe();

  /** Every tool of the server, following {@code nextCursor} through all pages. */
  List<McpSchema.Tool> listTools(Duration timeout);

  /**
   * Calls a tool and waits for its answer; interruption cancels the call (sending the protocol's
   * cancellation where this session can).
   *
   * @throws InterruptedException if the waiting thread was interrupted (the call is cancelled)
   * @throws dev.parallax.mcp.McpServerUnavailableException if the server is gone or the session
   *     closed
   */
  CallToolResult call(CallToolRequest request) throws InterruptedException;

  /** Whether a cancelled call sends {@code notifications/cancelled}. */
  boolean sendsCancellation();

  /** How many {@code notifications/cancelled} were sent. */
  long cancellationsSent();

  /** How many answers came for calls after their cancellation was sent. */
  long answersAfterCancel();

  /** Fails the calls in flight and, when the session is owned, closes it and its server. */
  void close();
}
