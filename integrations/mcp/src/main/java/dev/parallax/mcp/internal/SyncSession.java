package dev.parallax.mcp.internal;

import dev.parallax.mcp.McpServerUnavailableException;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;

/**
 * A session over a user's {@link McpSyncClient}. The call blocks the tool's thread in the SDK's
 * {@code block()}; an interrupt makes Reactor cancel the request (the SDK 2.1.0 then sends no
 * {@code notifications/cancelled}, and the SDK keeps the request pending until the server answers
 * or the session closes). Internal; may change at any time.
 */
public final class SyncSession implements Session {

  private final McpSyncClient client;
  private final boolean owned;
  private volatile boolean closed;

  /** Wraps {@code client}; closes it on {@link #close()} when {@code owned}. */
  public SyncSession(McpSyncClient client, boolean owned) {
    this.client = client;
    this.owned = owned;
  }

  @Override
  public String describe() {
    McpSchema.Implementation info = client.isInitialized() ? client.getServerInfo() : null;
    return "MCP server '" + (info == null ? "?" : info.name()) + "'";
  }

  @Override
  public List<McpSchema.Tool> listTools(Duration timeout) {
    if (!client.isInitialized()) {
      client.initialize();
    }
    return Pages.all(client::listTools);
  }

  @Override
  public CallToolResult call(CallToolRequest request) throws InterruptedException {
    if (closed) {
      throw new McpServerUnavailableException(describe() + ": the session was closed");
    }
    try {
      return client.callTool(request);
    } catch (McpError e) {
      throw e;
    } catch (RuntimeException e) {
      if (Thread.interrupted() || hasCause(e, InterruptedException.class)) {
        InterruptedException interrupted = new InterruptedException("MCP call interrupted");
        interrupted.initCause(e);
        throw interrupted;
      }
      throw new McpServerUnavailableException(
          describe() + " did not answer tools/call " + request.name() + ": " + e.getMessage(), e);
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean sendsCancellation() {
    return false;
  }

  @Override
  public long cancellationsSent() {
    return 0;
  }

  @Override
  public long answersAfterCancel() {
    return 0;
  }

  @Override
  public void close() {
    closed = true;
    if (owned) {
      client.closeGracefully();
    }
  }
}
