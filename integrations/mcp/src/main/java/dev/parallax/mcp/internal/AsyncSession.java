package dev.parallax.mcp.internal;

import dev.parallax.mcp.McpServerUnavailableException;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * A session over an {@link McpAsyncClient}: each call subscribes to {@code callTool} and waits on a
 * future, so that an interrupt, the server's exit or {@link #close()} ends the wait at once. With a
 * {@link CancellingTransport} (when the registry built the client) a cancelled call sends {@code
 * notifications/cancelled}; with a {@link ServerProcess} the server's exit fails the calls in
 * flight and later ones at once, instead of leaving them to the SDK's request timeout. Internal;
 * may change at any time.
 */
public final class AsyncSession implements Session {

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final McpAsyncClient client;
  private final @Nullable CancellingTransport transport;
  private final @Nullable ServerProcess process;
  private final @Nullable StderrTail stderr;
  private final boolean owned;
  private final String description;
  private final @Nullable Duration callTimeout;
  private final Set<CompletableFuture<CallToolResult>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile @Nullable String unavailable;

  /**
   * A session over {@code client}.
   *
   * @param transport the client's transport if it is a {@link CancellingTransport}, else null
   * @param process the server's process when known (stdio servers the registry started)
   * @param stderr the server's standard error when known
   * @param owned whether {@link #close()} closes the client (and kills the process)
   * @param description the server, for messages
   * @param callTimeout the longest a call waits for its answer, or null to leave it to the SDK
   */
  public AsyncSession(
      McpAsyncClient client,
      @Nullable CancellingTransport transport,
      @Nullable ServerProcess process,
      @Nullable StderrTail stderr,
      boolean owned,
      String description,
      @Nullable Duration callTimeout) {
    this.callTimeout = callTimeout;
    this.client = client;
    this.transport = transport;
    this.process = process;
    this.stderr = stderr;
    this.owned = owned;
    this.description = description;
    if (process != null) {
      process.onExit(
          () ->
              markUnavailable(
                  description
                      + " (pid "
                      + process.pid()
                      + ") exited; its last stderr lines: "
                      + stderrText()));
    }
  }

  private String stderrText() {
    StderrTail tail = stderr;
    return tail == null ? "(not captured)" : tail.text();
  }

  private void markUnavailable(String why) {
    if (unavailable == null) {
      unavailable = why;
    }
    for (CompletableFuture<CallToolResult> call : inFlight) {
      call.completeExceptionally(
          new McpServerUnavailableException("no answer: " + why + " (while the call was running)"));
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public List<McpSchema.Tool> listTools(Duration timeout) {
    return Pages.all(
        cursor -> {
          McpSchema.ListToolsResult page = client.listTools(cursor).block(timeout);
          if (page == null) {
            throw new McpServerUnavailableException(description + " answered tools/list with null");
          }
          return page;
        });
  }

  @Override
  public CallToolResult call(CallToolRequest request) throws InterruptedException {
    String why = unavailable;
    if (why != null) {
      throw new McpServerUnavailableException("call not sent: " + why);
    }
    CompletableFuture<CallToolResult> answer = new CompletableFuture<>();
    CancellingTransport.Tracked tracked = transport == null ? null : transport.track(request);
    inFlight.add(answer);
    Disposable subscription = null;
    try {
      why = unavailable; // the server may have gone between the check and the registration
      if (why != null) {
        throw new McpServerUnavailableException("call not sent: " + why);
      }
      subscription =
          client
              .callTool(request)
              .subscribe(
                  answer::complete,
                  answer::completeExceptionally,
                  () ->
                      answer.completeExceptionally(
                          new McpServerUnavailableException(description + " sent no result")));
      try {
        Duration limit = callTimeout;
        if (limit == null) {
          return answer.get();
        }
        try {
          return answer.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          cancel(subscription, tracked, "the client's request timeout expired");
          throw new McpServerUnavailableException(
              description
                  + " did not answer tools/call "
                  + request.name()
                  + " within the request timeout of "
                  + limit,
              e);
        }
      } catch (InterruptedException e) {
        cancel(subscription, tracked, "the caller cancelled the call or its timeout expired");
        throw e;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof TimeoutException) {
          cancel(subscription, tracked, "the client's request timeout expired");
          throw new McpServerUnavailableException(
              description
                  + " did not answer tools/call "
                  + request.name()
                  + " within the SDK's request timeout",
              cause);
        }
        if (cause instanceof McpServerUnavailableException unavailableError) {
          cancel(subscription, tracked, "the server is unavailable");
          throw unavailableError;
        }
        if (cause instanceof McpError mcpError) {
          throw mcpError;
        }
        String gone = unavailable;
        throw new McpServerUnavailableException(
            description
                + " failed tools/call "
                + request.name()
                + ": "
                + cause
                + (gone == null ? "" : " (" + gone + ")"),
            cause);
      }
    } finally {
      inFlight.remove(answer);
      if (transport != null) {
        transport.untrack(request);
      }
      if (subscription != null && !answer.isDone()) {
        subscription.dispose();
      }
    }
  }

  private void cancel(
      @Nullable Disposable subscription,
      CancellingTransport.@Nullable Tracked tracked,
      String reason) {
    if (subscription != null) {
      subscription.dispose();
    }
    CancellingTransport t = transport;
    if (t != null && tracked != null) {
      t.cancel(tracked, reason);
    }
  }

  @Override
  public boolean sendsCancellation() {
    return transport != null;
  }

  @Override
  public long cancellationsSent() {
    CancellingTransport t = transport;
    return t == null ? 0 : t.cancellationsSent();
  }

  @Override
  public long answersAfterCancel() {
    CancellingTransport t = transport;
    return t == null ? 0 : t.answersAfterCancel();
  }

  @Override
  public void close() {
    markUnavailable(description + ": the session was closed");
    if (!owned) {
      return;
    }
    List<ProcessHandle> tree = process == null ? List.of() : process.tree();
    try {
      client.closeGracefully().block(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      // the process tree is killed below whatever the SDK managed
      client.close();
    } finally {
      ServerProcess.kill(tree, CLOSE_TIMEOUT.toSeconds());
    }
  }
}
